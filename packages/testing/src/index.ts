export { createTestDatabase, ensureTestAuditKey, loginSessionOf, ownerOf, testDatabaseKinds, withDatabaseName } from './databases.ts';
export type { TestDatabase } from './databases.ts';
export { applyRepoPolicies, repoPolicy, REPO_ROOT, POLICIES_DIR, ADULT_CSV, TEST_ACTOR } from './policies.ts';
export { readAdultRows } from './adult.ts';
