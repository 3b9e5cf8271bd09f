import { type Kysely, sql } from 'kysely';

/**
 * Reporting tables, named for analysts who query them directly. Fact tables keep one row per
 * registration, payment, refund and check-in with its latest known state; the `*_stats` tables are
 * counters derived from those facts by deltas in the same transaction, so reads never scan facts.
 * Counters are split into `shard` rows (one per consumer group member, summed on read): every fact
 * of a busy event updates its counters, and one row per event would make concurrent consumers
 * queue on its lock until each commit. Money is in minor units (bigint), times are UTC.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table events (
      event_id uuid primary key,
      organizer_id uuid not null,
      name text not null,
      status text not null,
      capacity integer not null,
      start_time timestamptz,
      end_time timestamptz,
      first_seen_at timestamptz not null,
      version_at timestamptz not null
    )`.execute(db);
  await sql`create index events_organizer_id_idx on events (organizer_id)`.execute(db);

  await sql`
    create table ticket_types (
      ticket_type_id uuid primary key,
      event_id uuid not null,
      name text not null,
      price bigint not null,
      currency text not null,
      quantity integer not null,
      deleted boolean not null default false,
      version_at timestamptz not null
    )`.execute(db);
  await sql`create index ticket_types_event_id_idx on ticket_types (event_id)`.execute(db);

  // status is null while only payments of the registration are known (payments can arrive first).
  await sql`
    create table registrations (
      registration_id uuid primary key,
      event_id uuid not null,
      ticket_type_id uuid,
      user_id uuid,
      quantity integer,
      amount bigint,
      currency text,
      status text constraint registrations_status_check
        check (status in ('pending', 'confirmed', 'cancelled', 'expired')),
      status_at timestamptz,
      status_rank smallint,
      registered_at timestamptz,
      net_revenue bigint not null default 0
    )`.execute(db);
  await sql`create index registrations_event_id_status_idx on registrations (event_id, status)`.execute(db);

  await sql`
    create table payments (
      payment_id uuid primary key,
      registration_id uuid not null,
      event_id uuid not null,
      amount bigint,
      currency text,
      succeeded_at timestamptz,
      refunded_total bigint not null default 0
    )`.execute(db);
  await sql`create index payments_event_id_idx on payments (event_id)`.execute(db);

  await sql`
    create table refunds (
      refund_id text primary key,
      payment_id uuid not null,
      registration_id uuid not null,
      event_id uuid not null,
      amount bigint not null,
      currency text not null,
      refunded_at timestamptz not null
    )`.execute(db);
  await sql`create index refunds_event_id_idx on refunds (event_id)`.execute(db);

  await sql`
    create table check_ins (
      ticket_id uuid primary key,
      registration_id uuid not null,
      event_id uuid not null,
      ticket_type_id uuid not null,
      checked_in_at timestamptz not null
    )`.execute(db);
  await sql`create index check_ins_event_id_idx on check_ins (event_id)`.execute(db);

  await sql`
    create table visitors (
      event_id uuid not null,
      session_id text not null,
      first_seen_at timestamptz not null,
      constraint visitors_pk primary key (event_id, session_id)
    )`.execute(db);

  await sql`
    create table event_stats (
      event_id uuid not null,
      shard smallint not null,
      pending bigint not null default 0,
      confirmed bigint not null default 0,
      cancelled bigint not null default 0,
      expired bigint not null default 0,
      tickets_sold bigint not null default 0,
      gross bigint not null default 0,
      refunded bigint not null default 0,
      currency text,
      check_ins bigint not null default 0,
      page_views bigint not null default 0,
      unique_visitors bigint not null default 0,
      as_of timestamptz not null,
      constraint event_stats_pk primary key (event_id, shard)
    )`.execute(db);

  await sql`
    create table ticket_type_stats (
      event_id uuid not null,
      ticket_type_id uuid not null,
      shard smallint not null,
      sold bigint not null default 0,
      revenue bigint not null default 0,
      constraint ticket_type_stats_pk primary key (event_id, ticket_type_id, shard)
    )`.execute(db);

  for (const table of ['event_stats_hourly', 'event_stats_daily']) {
    await sql`
      create table ${sql.id(table)} (
        event_id uuid not null,
        bucket timestamptz not null,
        shard smallint not null,
        registrations bigint not null default 0,
        revenue bigint not null default 0,
        page_views bigint not null default 0,
        check_ins bigint not null default 0,
        constraint ${sql.id(`${table}_pk`)} primary key (event_id, bucket, shard)
      )`.execute(db);
  }
}
