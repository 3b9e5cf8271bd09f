import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { traceQueries } from './query-spans';

// Counts and sums come back as int8; every figure we store fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

export interface DatabaseConfig {
  url: string;
  poolMax?: number;
  idleTimeoutMs?: number;
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

export interface Database<DB> {
  kysely: Kysely<DB>;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createPool(config: DatabaseConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax ?? 10,
    idleTimeoutMillis: config.idleTimeoutMs ?? 30_000,
    connectionTimeoutMillis: config.connectionTimeoutMs ?? 5_000,
    statement_timeout: config.statementTimeoutMs ?? 15_000,
    application_name: config.applicationName ?? 'echoplex',
  });
  // A client losing its connection (the server restarting) must not crash the process, whether idle
  // in the pool or checked out between two queries of a transaction: the pool only listens while it
  // is idle, and an 'error' nobody listens to is thrown. Its query fails, and the pool discards it.
  pool.on('error', () => {});
  const url = new URL(config.url);
  const target = { database: url.pathname.slice(1), host: url.hostname, port: Number(url.port || 5432) };
  pool.on('connect', (client) => {
    client.on('error', () => {});
    traceQueries(client, target);
  });
  return pool;
}

/** A Kysely instance on a pool, with snake_case columns in SQL and camelCase in TypeScript. */
export function createDatabase<DB>(config: DatabaseConfig): Database<DB> {
  const pool = createPool(config);
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    // jsonb documents (event payloads, headers) keep their keys exactly as written.
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  return {
    kysely,
    pool,
    async close() {
      await kysely.destroy();
    },
  };
}

/** A view of a shared database scoped to one service's schema (embedded mode shares one pool). */
export function forSchema<DB>(kysely: Kysely<unknown>, schema: string): Kysely<DB> {
  return kysely.withSchema(schema) as unknown as Kysely<DB>;
}

export async function pingDatabase(kysely: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(kysely);
}
