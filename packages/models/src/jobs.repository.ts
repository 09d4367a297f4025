import type { AirlockDatabase } from '@airlock/db';
import { sqlRunner } from '@airlock/db';
import type { TrainingRequest } from './training-request.ts';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'refused';

export interface TrainingJob {
  id: string;
  dataset: string;
  zone: string;
  request: TrainingRequest;
  state: JobState;
  progress: { epoch?: number; epochs?: number; loss?: number; valLoss?: number; valMetric?: number; cancelledBy?: string };
  error: string | null;
  modelId: number | null;
  requestedBy: string;
  roles: string[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** All SQL about training jobs; runs as the catalog role. */
export class JobsRepository {
  constructor(private readonly database: AirlockDatabase) {}

  async insert(job: Pick<TrainingJob, 'id' | 'dataset' | 'zone' | 'request' | 'requestedBy' | 'roles'>): Promise<void> {
    await this.#write(
      `insert into catalog.training_jobs (id, dataset, zone, request, state, requested_by, roles) values ($1, $2, $3, $4::jsonb, 'queued', $5, $6)`,
      [job.id, job.dataset, job.zone, JSON.stringify(job.request), job.requestedBy, job.roles],
    );
  }

  async get(id: string): Promise<TrainingJob | undefined> {
    const rows = await this.database.withZone('catalog', (trx) =>
      sqlRunner(trx).query<Record<string, unknown>>(`select * from catalog.training_jobs where id = $1`, [id]),
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async start(id: string): Promise<void> {
    await this.#write(`update catalog.training_jobs set state = 'running', started_at = now() where id = $1`, [id]);
  }

  async progress(id: string, progress: TrainingJob['progress']): Promise<void> {
    // Merged, so a cancellation request written meanwhile is kept.
    await this.#write(`update catalog.training_jobs set progress = progress || $2::jsonb where id = $1`, [id, JSON.stringify(progress)]);
  }

  /**
   * Cancel a job: a queued one ends now (failed, "cancelled"); a running one is flagged, and its
   * trainer stops it at the next batch. Returns what happened; `finished` when it had already ended.
   */
  async cancel(id: string, by: string): Promise<'cancelled' | 'stopping' | 'finished'> {
    return this.database.withZone(
      'catalog',
      async (trx) => {
        const runner = sqlRunner(trx);
        const queued = await runner.query(
          `update catalog.training_jobs set state = 'failed', error = $2, finished_at = now() where id = $1 and state = 'queued' returning id`,
          [id, `Cancelled by ${by} before it started.`],
        );
        if (queued.length > 0) return 'cancelled';
        const running = await runner.query(
          `update catalog.training_jobs set progress = progress || jsonb_build_object('cancelledBy', $2::text) where id = $1 and state = 'running' returning id`,
          [id, by],
        );
        return running.length > 0 ? 'stopping' : 'finished';
      },
      { readOnly: false },
    );
  }

  async finish(id: string, outcome: { state: Exclude<JobState, 'queued' | 'running'>; error?: string; modelId?: number }): Promise<void> {
    await this.#write(`update catalog.training_jobs set state = $2, error = $3, model_id = $4, finished_at = now() where id = $1`, [
      id,
      outcome.state,
      outcome.error ?? null,
      outcome.modelId ?? null,
    ]);
  }

  async #write(text: string, params: unknown[]): Promise<void> {
    await this.database.withZone('catalog', (trx) => sqlRunner(trx).query(text, params), { readOnly: false });
  }
}

function toJob(row: Record<string, unknown>): TrainingJob {
  return {
    id: String(row['id']),
    dataset: String(row['dataset']),
    zone: String(row['zone']),
    request: row['request'] as TrainingRequest,
    state: row['state'] as JobState,
    progress: row['progress'] as TrainingJob['progress'],
    error: (row['error'] as string | null) ?? null,
    modelId: row['model_id'] === null ? null : Number(row['model_id']),
    requestedBy: String(row['requested_by']),
    roles: row['roles'] as string[],
    createdAt: row['created_at'] as Date,
    startedAt: (row['started_at'] as Date | null) ?? null,
    finishedAt: (row['finished_at'] as Date | null) ?? null,
  };
}
