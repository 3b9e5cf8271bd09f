import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '@echoplex/db';
import pg from 'pg';

export interface PostgresForTests {
  url: string;
  stop(): Promise<void>;
}

const machinePostgres = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A real PostgreSQL for the test run: `DATABASE_URL` if set, else the machine's own server on 5432,
 * else an embedded one. Never a fake.
 */
export async function startPostgresForTests(repoRoot: string): Promise<PostgresForTests> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  if (await reachable(machinePostgres)) return { url: machinePostgres, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: resolve(repoRoot, '.data/pg-test'), port: 54329 });
  return server;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh, empty database of its own for one test file; services migrate their schemas into it. */
export async function createTestDatabase(
  adminUrl: string,
  prefix = 'test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
