import pg from 'pg';

/**
 * Gives a service a login role that owns its schema and has no rights on any other, and returns the
 * connection string for it: in distributed mode a service cannot read another's tables.
 */
export async function ensureServiceRole(adminUrl: string, schema: string): Promise<string> {
  const role = serviceRole(schema);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    if (exists.rowCount === 0) {
      await client.query(`create role ${pg.escapeIdentifier(role)} login password ${pg.escapeLiteral(role)}`);
    }
    await client.query(
      `create schema if not exists ${pg.escapeIdentifier(schema)} authorization ${pg.escapeIdentifier(role)}`,
    );
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = role;
  url.password = role;
  return url.toString();
}

/** The login role of the service owning `schema` in distributed mode. */
export function serviceRole(schema: string): string {
  return `${schema.replace(/-/g, '_')}_svc`;
}
