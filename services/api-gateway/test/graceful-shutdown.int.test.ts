import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createTestDatabase } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

// The real embedded platform as its own process, real PostgreSQL, a real SIGTERM.
describe('graceful shutdown', () => {
  let child: ChildProcess | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await database?.drop();
  });

  it('a SIGTERM during a load of 100 requests fails none of them, then the process exits cleanly', async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'shutdown');
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../src/main.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SHUTDOWN_DRAIN_MS: '1500',
        SEED: 'off',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => child?.on('exit', (code) => done(code)));
    const base = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 200; attempt++) {
      if (
        await fetch(`${base}/ready`).then(
          (response) => response.ok,
          () => false,
        )
      )
        break;
      await new Promise((done) => setTimeout(done, 100));
    }

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
