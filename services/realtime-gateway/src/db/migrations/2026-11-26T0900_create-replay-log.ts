import type { Kysely } from 'kysely';

/**
 * The history the in-process bus does not keep (embedded mode only; Kafka retains it). Compacted
 * topics keep one row per key, like Kafka's compaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('replay_log')
    .addColumn('seq', 'bigserial', (col) => col.primaryKey())
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('headers', 'jsonb', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('compaction_key', 'text', (col) => col.unique())
    .execute();
}
