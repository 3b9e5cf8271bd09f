import { type Database, sql } from '@echoplex/db';

/**
 * One event with `registrations` registration facts, seeded straight into the reporting tables, and
 * its counters derived from those facts by the same definitions the consumers maintain them with.
 */
export async function seedLargeEvent(
  database: Database<unknown>,
  ids: { eventId: string; organizerId: string; ticketTypes: string[] },
  registrations: number,
): Promise<void> {
  const db = database.kysely;
  const [general, vip, free] = ids.ticketTypes as [string, string, string];
  await sql`
    insert into analytics.events (event_id, organizer_id, name, status, capacity, start_time, end_time, first_seen_at, version_at)
    values (${ids.eventId}, ${ids.organizerId}, 'One million registrations', 'published', ${registrations * 2},
            now() + interval '30 days', now() + interval '31 days', now() - interval '30 days', now() - interval '30 days')`.execute(
    db,
  );
  await sql`
    insert into analytics.ticket_types (ticket_type_id, event_id, name, price, currency, quantity, version_at)
    values (${general}, ${ids.eventId}, 'General', 2500, 'eur', ${registrations}, now() - interval '30 days'),
           (${vip}, ${ids.eventId}, 'VIP', 10000, 'eur', ${registrations}, now() - interval '30 days'),
           (${free}, ${ids.eventId}, 'Community', 0, 'eur', ${registrations}, now() - interval '30 days')`.execute(db);
  await sql`
    insert into analytics.registrations
      (registration_id, event_id, ticket_type_id, user_id, quantity, amount, currency, status, status_at, status_rank,
       registered_at, net_revenue)
    select gen_random_uuid(), ${ids.eventId}, tt.id, gen_random_uuid(), q.quantity, tt.price * q.quantity, 'eur',
           st.status, now() - (g % 43200) * interval '1 minute', st.rank, now() - (g % 43200) * interval '1 minute' - interval '5 minutes',
           case when st.status = 'confirmed' then tt.price * q.quantity else 0 end
    from generate_series(1, ${registrations}) g
    cross join lateral (select (array[${general}::uuid, ${vip}::uuid, ${free}::uuid])[1 + g % 3] as id,
                               (array[2500, 10000, 0])[1 + g % 3] as price) tt
    cross join lateral (select 1 + g % 2 as quantity) q
    cross join lateral (select (array['confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed',
                                      'pending','cancelled','expired'])[1 + g % 10] as status) s0
    cross join lateral (select s0.status,
                               case s0.status when 'pending' then 0 when 'confirmed' then 1 when 'expired' then 2 else 3 end as rank) st`.execute(
    db,
  );
  await sql`
    insert into analytics.event_stats
      (event_id, shard, pending, confirmed, cancelled, expired, tickets_sold, gross, refunded, currency, check_ins, page_views,
       unique_visitors, as_of)
    select ${ids.eventId}, 0,
           count(*) filter (where status = 'pending'), count(*) filter (where status = 'confirmed'),
           count(*) filter (where status = 'cancelled'), count(*) filter (where status = 'expired'),
           coalesce(sum(quantity) filter (where status = 'confirmed'), 0), sum(net_revenue), 0, 'eur',
           count(*) filter (where status = 'confirmed') / 2, count(*) * 4, count(*) * 2, max(status_at)
    from analytics.registrations where event_id = ${ids.eventId}`.execute(db);
  await sql`
    insert into analytics.ticket_type_stats (event_id, ticket_type_id, shard, sold, revenue)
    select event_id, ticket_type_id, 0, coalesce(sum(quantity) filter (where status = 'confirmed'), 0), sum(net_revenue)
    from analytics.registrations where event_id = ${ids.eventId} group by event_id, ticket_type_id`.execute(db);
  for (const [table, unit] of [
    ['event_stats_hourly', 'hour'],
    ['event_stats_daily', 'day'],
  ] as const) {
    await sql`
      insert into ${sql.id('analytics', table)} (event_id, bucket, shard, registrations, revenue, page_views, check_ins)
      select event_id, date_trunc(${unit}, status_at at time zone 'UTC') at time zone 'UTC', 0,
             count(*) filter (where status = 'confirmed'), sum(net_revenue), count(*) * 4, 0
      from analytics.registrations where event_id = ${ids.eventId} group by 1, 2`.execute(db);
  }
  await sql`analyze`.execute(db);
}

/** What answering from the facts instead of the counters would cost: the aggregate the counters replace. */
export async function factScanMs(database: Database<unknown>, eventId: string): Promise<number> {
  const { rows } = await sql<{ queryPlan: string }>`
    explain (analyze, format text)
    select status, count(*), sum(quantity), sum(net_revenue) from analytics.registrations
    where event_id = ${eventId} group by status`.execute(database.kysely);
  const line = rows.map((row) => Object.values(row)[0] as string).find((text) => text.startsWith('Execution Time'));
  return Number(line?.match(/([\d.]+) ms/)?.[1] ?? Number.NaN);
}
