import { resolve } from 'node:path';
import { createTestDatabase, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';

// The real embedded platform as its own process, real PostgreSQL, a real SIGTERM.
describe('graceful shutdown', () => {
  let server: ServerProcess | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('a SIGTERM during a load of 100 requests fails none of them, then the process exits cleanly', async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'shutdown');
    server = await startServerProcess(resolve(import.meta.dirname, '../src/main.ts'), {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_MS: '1500',
      SEED: 'off',
    });
    const { child, baseUrl: base, exited } = server;

    const statuses: Promise<number>[] = [];
    let readyDuringDrain: number | undefined;
    for (let i = 0; i < 100; i++) {
      statuses.push(
        fetch(`${base}/.well-known/jwks.json`).then(
          (response) => response.status,
          () => 0,
        ),
      );
      if (i === 30) {
        child.kill('SIGTERM');
        await new Promise((done) => setTimeout(done, 50));
        readyDuringDrain = await fetch(`${base}/ready`).then(
          (response) => response.status,
          () => 0,
        );
      }
      await new Promise((done) => setTimeout(done, 10));
    }

    expect(await Promise.all(statuses)).toEqual(Array(100).fill(200));
    expect(readyDuringDrain).toBe(503);
    expect(await exited).toBe(0);
  });
});
