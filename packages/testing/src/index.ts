export { createTestDatabase, testDatabaseKinds, withDatabaseName } from './databases.ts';
export type { TestDatabase } from './databases.ts';
