import { type Kysely, type Migration, Migrator, sql } from 'kysely';

export type Migrations = Record<string, Migration>;

/**
 * Runs one service's forward-only migrations inside its own schema, with its own migration table
 * there, so services never share or block each other's migration history.
 */
export async function migrateSchema(kysely: Kysely<unknown>, schema: string, migrations: Migrations): Promise<void> {
  // In distributed mode the schema already exists, owned by the service's role, which may not
  // create schemas: `create schema if not exists` would be refused even though it has nothing to do.
  const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(kysely);
  if (rows.length === 0) await sql`create schema ${sql.id(schema)}`.execute(kysely);
  const migrator = new Migrator({
    db: kysely.withSchema(schema),
    provider: { getMigrations: async () => inSchema(schema, migrations) },
    migrationTableSchema: schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} of schema ${schema} failed`, {
      cause: error,
    });
  }
}

/** Raw SQL in a migration resolves unqualified names in the service's schema, like the query builder does. */
function inSchema(schema: string, migrations: Migrations): Migrations {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      {
        async up(db: Kysely<any>) {
          await sql`set local search_path to ${sql.id(schema)}, public`.execute(db);
          await migration.up(db);
        },
      },
    ]),
  );
}
