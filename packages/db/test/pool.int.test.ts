/// <reference path="../../testkit/src/provided.ts" />
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../src';

// Real: the run's PostgreSQL. The server ends a connection (as on a restart) while a transaction
// holds it between two queries; before, the unheard 'error' event crashed the whole service process.
describe('a connection ended by the server while checked out', () => {
  const database = createDatabase<unknown>({ url: inject('databaseUrl'), poolMax: 2 });
  afterAll(() => database.close());

  it('fails only its transaction, and the pool goes on with a new connection', async () => {
    const transaction = database.kysely.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(database.kysely);
      // The server's notice arrives while no query is running on the connection.
      await new Promise((done) => setTimeout(done, 500));
      await sql`select 1`.execute(trx);
    });
    await expect(transaction).rejects.toThrow();

    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.kysely);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
