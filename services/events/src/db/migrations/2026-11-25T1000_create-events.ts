import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table events (
      id uuid constraint events_pk primary key,
      organizer_id uuid not null,
      name text not null,
      description text not null default '',
      start_time timestamptz not null,
      end_time timestamptz not null,
      timezone text not null default 'UTC',
      location text not null,
      city text,
      country text,
      online boolean not null default false,
      capacity integer not null constraint events_capacity_check check (capacity >= 1),
      categories text[] not null default '{}',
      image_key text,
      status text not null default 'draft'
        constraint events_status_check check (status in ('draft', 'published', 'cancelled')),
      sold_out boolean not null default false,
      seats_taken integer not null default 0,
      published_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      search tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, description), 'B') ||
        setweight(to_tsvector('english'::regconfig, location || ' ' || coalesce(city, '')), 'C')
      ) stored,
      search_text text generated always as (name || ' ' || location || ' ' || coalesce(city, '')) stored,
      facets text[] generated always as (
        case when city is null then categories else categories || ('@' || lower(city)) end
      ) stored,
      constraint events_time_range_check check (end_time > start_time)
    )`.execute(db);

  // The public list only ever shows published events, so its indexes are partial.
  await sql`create index events_published_start_idx on events (start_time, id) where status = 'published'`.execute(db);
  // Text and filters in one GIN index: a search with a city or category intersects both posting
  // lists inside the index, so only rows matching everything are read from the table. Events are
  // written rarely and searched constantly, so GIN's pending list (fastupdate), which every search
  // scans linearly until vacuum merges it, is off.
  await sql`
    create index events_search_idx on events using gin (search, facets) with (fastupdate = off)
    where status = 'published'`.execute(db);
  await sql`
    create index events_categories_idx on events using gin (categories) with (fastupdate = off)
    where status = 'published'`.execute(db);
  await sql`create index events_city_start_idx on events (lower(city), start_time, id) where status = 'published'`.execute(
    db,
  );
  await sql`create index events_organizer_start_idx on events (organizer_id, start_time, id)`.execute(db);
}
