import type { PolicySnapshot } from '../policy-store.ts';
import type { Principal } from '../auth/index.ts';
import type { Repository } from './repository.ts';
import type { OperationUsage } from './repository-deps.ts';

/** Everything a resolver may use: the caller, the policies, and the one repository bound to them. */
export interface RequestContext {
  principal: Principal;
  snapshot: PolicySnapshot;
  usage: OperationUsage;
  repository: Repository;
}
