/**
 * The trainer's health endpoint (what docker-compose's trainer healthcheck asks) on a real
 * database: unhealthy before the job queue exists, healthy while the trainer works, unhealthy when
 * its job queue's tables are gone and when it is stopping. (A database that does not answer at all
 * is the unit test's: health.test.ts.)
 */
import { loadPolicySet } from '@airlock/catalog';
import { createLogger } from '@airlock/core/logger';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { checkTrainerHealth, serveTrainerHealth, startTrainer, trainerSignals, type HealthServer, type Trainer } from '@airlock/trainer';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

const logger = createLogger('trainer-health-test', 'silent');

describe.each(testDatabaseKinds())('trainer health on %s', (kind) => {
  let test: TestDatabase | undefined;
  let trainer: Trainer | undefined;
  let server: HealthServer | undefined;
  afterAll(async () => {
    await server?.close();
    await trainer?.stop();
    await test?.drop();
  });

  it('is unhealthy before the job queue exists, healthy while the trainer works, unhealthy when it stops or loses its queue', async () => {
    test = await createTestDatabase(kind);
    const database = test.database;
    // Migrated, but no queue installed yet: no trainer could fetch a job.
    expect(await checkTrainerHealth(trainerSignals(database, () => false))).toMatchObject({ kind: 'unhealthy', reason: expect.stringContaining('pgboss.version') });

    trainer = await startTrainer({ database, policies: () => loadPolicySet(database), logger });
    const running = trainer;
    server = await serveTrainerHealth({ host: '127.0.0.1', port: 0, check: () => running.health(), logger });
    const healthz = async (): Promise<number> => (await fetch(`${server!.url}/healthz`)).status;
    expect(await running.health()).toEqual({ kind: 'healthy' });
    expect(await healthz()).toBe(200);

    // The queue's tables disappear (a restore without them, a wrong database): no job can be fetched.
    await sql`alter table pgboss.version rename to version_gone`.execute(test.owner);
    expect(await running.health()).toMatchObject({ kind: 'unhealthy' });
    expect(await healthz()).toBe(503);
    await sql`alter table pgboss.version_gone rename to version`.execute(test.owner);
    expect(await healthz()).toBe(200);

    await running.stop();
    expect(await running.health()).toEqual({ kind: 'unhealthy', reason: 'the trainer is stopping and takes no more jobs' });
    expect(await healthz()).toBe(503);
  }, 60_000);
});
