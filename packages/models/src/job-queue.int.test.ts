import { createLogger } from '@airlock/core/logger';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobQueue, type AnalysisRequest, type JobQueue } from './index.ts';

const drift: AnalysisRequest = { kind: 'drift', modelId: 1, zone: 'deidentified', requestedBy: 'mia', roles: ['ml'] };

describe.each(testDatabaseKinds())('the job queue on %s', (kind) => {
  let test: TestDatabase;
  let gateway: JobQueue;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    gateway = await openJobQueue({ database: test.database, logger: createLogger('queue-test', 'silent') });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await test?.drop();
  });

  it('gives up on an analysis no trainer takes, after the bound, saying so', async () => {
    await expect(gateway.analyze(drift, 1000)).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(/No trainer answered the drift request within 1 s \(AIRLOCK_ANALYSIS_TIMEOUT_MS\)/),
    });
  });

  it('carries an analysis to a trainer and its answer back, errors with their code', async () => {
    const trainer = await openJobQueue({ database: test.database, logger: createLogger('queue-test', 'silent') });
    try {
      const seen: AnalysisRequest[] = [];
      await trainer.workAnalyses(async (request) => {
        seen.push(request);
        return request.kind === 'drift' && request.modelId === 1
          ? { ok: true, result: { kind: 'drift', drift: [{ feature: 'age', kind: 'numeric', psi: 0.01, level: 'stable', referenceSize: 10, batchSize: 10 }] } }
          : { ok: false, code: 'CONFLICT', message: 'The data changed; retrain both.' };
      });
      expect(await gateway.analyze(drift, 60_000)).toEqual({ kind: 'drift', drift: [expect.objectContaining({ feature: 'age', level: 'stable' })] });
      await expect(gateway.analyze({ ...drift, modelId: 2 }, 60_000)).rejects.toMatchObject({ code: 'CONFLICT', message: 'The data changed; retrain both.' });
      expect(seen.map((r) => r.kind === 'drift' && r.modelId)).toEqual([1, 2]);
    } finally {
      await trainer.stop();
    }
  }, 120_000);
});
