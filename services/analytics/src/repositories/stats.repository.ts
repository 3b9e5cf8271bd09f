import { sql, type Transaction } from '@echoplex/db';
import {
  bucketRows,
  type CounterName,
  counterNames,
  mergeDeltas,
  type StatsDelta,
  ticketTypeRows,
} from '../reporting/stats-delta';

const counterColumns: Record<CounterName, string> = {
  pending: 'pending',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  expired: 'expired',
  ticketsSold: 'tickets_sold',
  gross: 'gross',
  refunded: 'refunded',
  checkIns: 'check_ins',
  pageViews: 'page_views',
  uniqueVisitors: 'unique_visitors',
};

/** Where a consumer writes its counters: the live or a rebuild's shadow schema, and its own shard. */
export interface CounterTarget {
  schema: string;
  shard: number;
}

/**
 * Counter deltas of one transaction, written together by applyPendingStatsDeltas just before it
 * commits: a batch of 100 facts about one event then updates that event's counter rows once
 * instead of 100 times, and holds their row locks only from then to the commit. Keyed by the
 * transaction, so a rolled-back transaction's deltas disappear with it.
 */
const pending = new WeakMap<Transaction<any>, { target: CounterTarget; deltas: StatsDelta[] }>();

export function addStatsDelta(trx: Transaction<any>, target: CounterTarget, delta: StatsDelta): void {
  const entry = pending.get(trx);
  if (entry) entry.deltas.push(delta);
  else pending.set(trx, { target, deltas: [delta] });
}

/** The consumer's `beforeCommit`: the transaction's deltas, merged per event. */
export async function applyPendingStatsDeltas(trx: Transaction<any>): Promise<void> {
  const entry = pending.get(trx);
  if (!entry) return;
  pending.delete(trx);
  await applyStatsDeltas(trx, entry.target, mergeDeltas(entry.deltas));
}

/**
 * Applies deltas (at most one per event) to every counter table in one statement, in the caller's
 * shard. The SQL is schema-qualified by hand because the same handlers write either the live schema
 * or a rebuild's shadow schema.
 */
async function applyStatsDeltas(trx: Transaction<any>, target: CounterTarget, deltas: StatsDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const { schema, shard } = target;
  const table = (name: string) => sql.id(schema, name);
  const columns = counterNames.map((name) => sql.id(counterColumns[name]));
  const ctes = [
    sql`stats as (
      insert into ${table('event_stats')} as s (event_id, shard, ${sql.join(columns)}, currency, as_of)
      values ${sql.join(
        deltas.map(
          (delta) =>
            sql`(${delta.eventId}, ${shard}, ${sql.join(counterNames.map((name) => delta.counters[name] ?? 0))}, ${delta.currency}, ${delta.asOf})`,
        ),
      )}
      on conflict (event_id, shard) do update set
        ${sql.join(
          counterNames.map((name) => {
            const column = sql.id(counterColumns[name]);
            return sql`${column} = s.${column} + excluded.${column}`;
          }),
        )},
        currency = coalesce(s.currency, excluded.currency),
        as_of = greatest(s.as_of, excluded.as_of)
      returning 1
    )`,
  ];
  const ticketTypes = deltas.flatMap((delta) =>
    ticketTypeRows(delta).map(
      (row) => sql`(${delta.eventId}, ${row.ticketTypeId}, ${shard}, ${row.sold}, ${row.revenue})`,
    ),
  );
  if (ticketTypes.length > 0) {
    ctes.push(sql`ticket_types as (
      insert into ${table('ticket_type_stats')} as t (event_id, ticket_type_id, shard, sold, revenue)
      values ${sql.join(ticketTypes)}
      on conflict (event_id, ticket_type_id, shard) do update set
        sold = t.sold + excluded.sold, revenue = t.revenue + excluded.revenue
      returning 1
    )`);
  }
  for (const interval of ['hour', 'day'] as const) {
    const rows = deltas.flatMap((delta) =>
      bucketRows(delta, interval).map(
        (row) =>
          sql`(${delta.eventId}, ${row.bucket}, ${shard}, ${row.registrations}, ${row.revenue}, ${row.pageViews}, ${row.checkIns})`,
      ),
    );
    if (rows.length === 0) continue;
    ctes.push(sql`${sql.id(interval)} as (
      insert into ${table(interval === 'hour' ? 'event_stats_hourly' : 'event_stats_daily')} as b
        (event_id, bucket, shard, registrations, revenue, page_views, check_ins)
      values ${sql.join(rows)}
      on conflict (event_id, bucket, shard) do update set
        registrations = b.registrations + excluded.registrations,
        revenue = b.revenue + excluded.revenue,
        page_views = b.page_views + excluded.page_views,
        check_ins = b.check_ins + excluded.check_ins
      returning 1
    )`);
  }
  await sql`with ${sql.join(ctes)} select 1`.execute(trx);
}
