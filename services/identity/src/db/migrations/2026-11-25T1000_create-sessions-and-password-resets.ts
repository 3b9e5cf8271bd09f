import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Only SHA-256 digests of the opaque tokens are stored: a leaked table signs nobody in.
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('family_id', 'uuid', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addForeignKeyConstraint('refresh_tokens_user_id_fk', ['user_id'], 'users', ['id'])
    .addUniqueConstraint('refresh_tokens_token_hash_key', ['token_hash'])
    .execute();
  await db.schema.createIndex('refresh_tokens_family_id_idx').on('refresh_tokens').column('family_id').execute();
  await db.schema
    .createIndex('refresh_tokens_live_user_id_idx')
    .on('refresh_tokens')
    .column('user_id')
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('password_reset_tokens')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addForeignKeyConstraint('password_reset_tokens_user_id_fk', ['user_id'], 'users', ['id'])
    .addUniqueConstraint('password_reset_tokens_token_hash_key', ['token_hash'])
    .execute();
  await db.schema
    .createIndex('password_reset_tokens_open_user_id_idx')
    .on('password_reset_tokens')
    .column('user_id')
    .where(sql.ref('used_at'), 'is', null)
    .execute();
}
