import type { AirlockDatabase } from '@airlock/db';
import type { KeyProvider } from '@airlock/deid';
import type { TrainingQueue } from '@airlock/models';
import type { GatewayConfig } from '@airlock/config';

/** What one request (GraphQL operation, export, prediction) did, for its audit event and the metrics. */
export interface OperationUsage {
  /** Dataset and zone pairs the operation touched (read or was refused). */
  touched: Array<{ dataset: string; zone: string }>;
  rows: number;
  cellsSuppressed: number;
  denied: boolean;
  /** Set when the operation detokenized (its own audit event is written first). */
  detokenized: number;
}

export interface RepositoryDeps {
  database: AirlockDatabase;
  config: GatewayConfig;
  /** Opens the token keyring for detokenization; throws when none is configured. */
  keys: () => KeyProvider;
  /**
   * The job queue to the training service (a trainer in this process, or a queue client for
   * trainers elsewhere): training jobs and analyses go there. Without it those are refused
   * (DATABASE_UNAVAILABLE); jobs and models are still read from the database.
   */
  trainer?: TrainingQueue | undefined;
}

export function newUsage(): OperationUsage {
  return { touched: [], rows: 0, cellsSuppressed: 0, denied: false, detokenized: 0 };
}
