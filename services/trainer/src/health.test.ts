import { createLogger } from '@airlock/core/logger';
import { describe, expect, it } from 'vitest';
import { serveTrainerHealth } from './health-server.ts';
import { checkTrainerHealth, type TrainerHealth } from './health.ts';

const answers = { stopped: () => false, queueAnswers: () => Promise.resolve({ rows: [] }) };

describe('checkTrainerHealth', () => {
  it('is healthy while not stopping and the queue answers', async () => {
    expect(await checkTrainerHealth(answers)).toEqual({ kind: 'healthy' });
  });

  it('is unhealthy once stopping, without asking the queue', async () => {
    let asked = false;
    const health = await checkTrainerHealth({
      stopped: () => true,
      queueAnswers: () => {
        asked = true;
        return Promise.resolve();
      },
    });
    expect(health).toEqual({ kind: 'unhealthy', reason: 'the trainer is stopping and takes no more jobs' });
    expect(asked).toBe(false);
  });

  it('is unhealthy when the queue fails, with the error as the reason', async () => {
    const health = await checkTrainerHealth({ stopped: () => false, queueAnswers: () => Promise.reject(new Error('connection refused')) });
    expect(health).toEqual({ kind: 'unhealthy', reason: 'the job queue does not answer: connection refused' });
  });

  it('is unhealthy when the queue never answers', async () => {
    const health = await checkTrainerHealth({ stopped: () => false, queueAnswers: () => new Promise(() => undefined) }, 20);
    expect(health).toEqual({ kind: 'unhealthy', reason: 'the job queue does not answer: no answer within 20 ms' });
  });
});

describe('serveTrainerHealth', () => {
  it('answers GET /healthz with 200 or 503 as the check says at that moment, and 404 elsewhere', async () => {
    let now: TrainerHealth = { kind: 'healthy' };
    const server = await serveTrainerHealth({ host: '127.0.0.1', port: 0, check: () => Promise.resolve(now), logger: createLogger('trainer-test', 'silent') });
    try {
      const ok = await fetch(`${server.url}/healthz`);
      expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok' }]);
      now = { kind: 'unhealthy', reason: 'the job queue does not answer: password authentication failed for user "airlock_app" at 10.0.0.5' };
      const failing = await fetch(`${server.url}/healthz`);
      // The reason stays in the log: it names hosts and logins.
      expect([failing.status, await failing.json()]).toEqual([503, { status: 'unhealthy' }]);
      expect((await fetch(`${server.url}/`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 503 when the check itself throws', async () => {
    const server = await serveTrainerHealth({ host: '127.0.0.1', port: 0, check: () => Promise.reject(new Error('bug')), logger: createLogger('trainer-test', 'silent') });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it('refuses to start on a port already taken', async () => {
    const first = await serveTrainerHealth({ host: '127.0.0.1', port: 0, check: () => Promise.resolve({ kind: 'healthy' }), logger: createLogger('trainer-test', 'silent') });
    try {
      const port = Number(new URL(first.url).port);
      await expect(serveTrainerHealth({ host: '127.0.0.1', port, check: () => Promise.resolve({ kind: 'healthy' }), logger: createLogger('trainer-test', 'silent') })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
