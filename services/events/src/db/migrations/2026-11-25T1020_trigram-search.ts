import { type Kysely, sql } from 'kysely';

/**
 * Typo tolerance needs pg_trgm. Creating it may be refused (a managed database, a role without the
 * privilege); search then works without typo tolerance, so the failure is tolerated, not fatal.
 * The index is made only when the extension exists, wherever an earlier installation put it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      create extension if not exists pg_trgm schema public;
    exception when others then
      raise notice 'pg_trgm is not available (%); search works without typo tolerance', sqlerrm;
    end
    $$`.execute(db);
  await sql`
    do $$
    declare
      trgm_schema text;
    begin
      select n.nspname into trgm_schema
        from pg_extension e join pg_namespace n on n.oid = e.extnamespace
       where e.extname = 'pg_trgm';
      if trgm_schema is not null then
        execute format(
          'create index events_search_text_trgm_idx on events using gin (search_text %I.gin_trgm_ops) with (fastupdate = off) where status = %L',
          trgm_schema, 'published');
      end if;
    end
    $$`.execute(db);
}
