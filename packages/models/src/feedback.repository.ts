import { randomUUID } from 'node:crypto';
import { sqlRunner, type AirlockDatabase } from '@airlock/db';
import type { ModelRecord } from './registry.repository.ts';

/** A served prediction with the outcome posted for it, if any. */
export interface LoggedPrediction {
  id: string;
  inputs: Record<string, unknown>;
  output: Record<string, unknown>;
  outcome: unknown;
  createdAt: Date;
}

/** What posting outcomes did. */
export interface OutcomeReceipt {
  recorded: number;
  /** Ids that name no prediction of this model (never served, or served by another model). */
  unknown: string[];
}

/**
 * The prediction log of served models: each prediction with its inputs (rows of the model's zone,
 * so stored in that zone's schema, under its role), and the outcomes posted for them later.
 */
export class FeedbackRepository {
  constructor(private readonly database: AirlockDatabase) {}

  /** Log predictions as served; returns their ids, in order. */
  async record(model: ModelRecord, requestedBy: string, inputs: readonly Record<string, unknown>[], outputs: readonly object[]): Promise<string[]> {
    const ids = inputs.map(() => randomUUID());
    await this.database.withZone(
      model.zone,
      (trx) =>
        sqlRunner(trx).query(
          `insert into ${model.zone}.predictions (id, model_id, requested_by, inputs, output)
           select u.id, $1, $2, u.inputs, u.output from unnest($3::uuid[], $4::jsonb[], $5::jsonb[]) as u(id, inputs, output)`,
          [model.id, requestedBy, ids, inputs.map((r) => JSON.stringify(r)), outputs.map((o) => JSON.stringify(o))],
        ),
      { readOnly: false },
    );
    return ids;
  }

  /** Set the outcome of predictions of `model` (a later post for the same id replaces it). */
  async postOutcomes(model: ModelRecord, outcomes: ReadonlyArray<{ predictionId: string; outcome: unknown }>, postedBy: string): Promise<OutcomeReceipt> {
    const updated = await this.database.withZone(
      model.zone,
      (trx) =>
        sqlRunner(trx).query<{ id: string }>(
          `update ${model.zone}.predictions p set outcome = u.outcome, outcome_by = $2, outcome_at = now()
             from unnest($3::uuid[], $4::jsonb[]) as u(id, outcome)
            where p.id = u.id and p.model_id = $1 returning p.id`,
          [model.id, postedBy, outcomes.map((o) => o.predictionId), outcomes.map((o) => JSON.stringify(o.outcome))],
        ),
      { readOnly: false },
    );
    const found = new Set(updated.map((r) => r.id));
    return { recorded: found.size, unknown: [...new Set(outcomes.map((o) => o.predictionId).filter((id) => !found.has(id)))] };
  }

  /** The newest `limit` predictions of a model, newest first. */
  async recent(model: ModelRecord, limit: number): Promise<LoggedPrediction[]> {
    const rows = await this.database.withZone(model.zone, (trx) =>
      sqlRunner(trx).query<{ id: string; inputs: Record<string, unknown>; output: Record<string, unknown>; outcome: unknown; created_at: Date }>(
        `select id, inputs, output, outcome, created_at from ${model.zone}.predictions where model_id = $1 order by created_at desc limit $2`,
        [model.id, limit],
      ),
    );
    return rows.map((r) => ({ id: r.id, inputs: r.inputs, output: r.output, outcome: r.outcome, createdAt: r.created_at }));
  }
}
