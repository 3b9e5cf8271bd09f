import { type Kysely, type Selectable, sql } from '@echoplex/db';
import type { AnalyticsDb, EventsTable } from '../db/schema';

export type TimeseriesMetric = 'registrations' | 'revenue' | 'pageViews' | 'checkIns';

const bucketColumns: Record<TimeseriesMetric, string> = {
  registrations: 'registrations',
  revenue: 'revenue',
  pageViews: 'page_views',
  checkIns: 'check_ins',
};

export interface EventFigures {
  pending: number;
  confirmed: number;
  cancelled: number;
  expired: number;
  ticketsSold: number;
  gross: number;
  refunded: number;
  currency: string | null;
  checkIns: number;
  pageViews: number;
  uniqueVisitors: number;
  asOf: Date | null;
}

/**
 * Reads for the report routes: index lookups on the counter tables (a few shard rows per event,
 * summed here), never scans of the fact tables.
 */
export class ReportRepository {
  constructor(
    private readonly db: Kysely<AnalyticsDb>,
    private readonly schema: string,
  ) {}

  private table(name: string) {
    return sql.id(this.schema, name);
  }

  findEvent(eventId: string) {
    return this.db.selectFrom('events').selectAll().where('eventId', '=', eventId).executeTakeFirst();
  }

  /**
   * An event (undefined if this service has not heard of it), its counters (summed over its shard
   * rows; undefined before any fact about it was counted) and its ticket types by name with their
   * counters, in one statement: the summary's one round trip. Sales of a ticket type not (yet)
   * announced come last, nameless.
   */
  async summary(eventId: string) {
    const { rows } = await sql<
      EventFigures & { [column in keyof Selectable<EventsTable>]: Selectable<EventsTable>[column] | null } & {
        shards: number;
        ticketTypes: {
          ticketTypeId: string;
          name: string | null;
          currency: string | null;
          deleted: boolean | null;
          sold: number;
          revenue: number;
        }[];
      }
    >`
      with by_ticket_type as (
        select coalesce(t.ticket_type_id, s.ticket_type_id) as ticket_type_id, t.name, t.currency, t.deleted,
               coalesce(s.sold, 0) as sold, coalesce(s.revenue, 0) as revenue
        from (select * from ${this.table('ticket_types')} where event_id = ${eventId}) t
        full join (
          select ticket_type_id, sum(sold) as sold, sum(revenue) as revenue
          from ${this.table('ticket_type_stats')} where event_id = ${eventId} group by ticket_type_id
        ) s on s.ticket_type_id = t.ticket_type_id
        where t.deleted is not true or s.ticket_type_id is not null
      ), figures as (
        select count(*)::int as shards, coalesce(sum(pending), 0) as pending, coalesce(sum(confirmed), 0) as confirmed,
               coalesce(sum(cancelled), 0) as cancelled, coalesce(sum(expired), 0) as expired,
               coalesce(sum(tickets_sold), 0) as tickets_sold, coalesce(sum(gross), 0) as gross,
               coalesce(sum(refunded), 0) as refunded, max(currency) as currency,
               coalesce(sum(check_ins), 0) as check_ins, coalesce(sum(page_views), 0) as page_views,
               coalesce(sum(unique_visitors), 0) as unique_visitors, max(as_of) as as_of,
               (select coalesce(json_agg(json_build_object(
                         'ticketTypeId', ticket_type_id, 'name', name, 'currency', currency, 'deleted', deleted,
                         'sold', sold, 'revenue', revenue
                       ) order by name is null, name, ticket_type_id), '[]')
                from by_ticket_type) as ticket_types
        from ${this.table('event_stats')} where event_id = ${eventId}
      )
      select f.*, e.event_id, e.organizer_id, e.name, e.status, e.capacity, e.start_time, e.end_time,
             e.first_seen_at, e.version_at
      from figures f left join ${this.table('events')} e on e.event_id = ${eventId}`.execute(this.db);
    const {
      shards,
      ticketTypes,
      eventId: knownId,
      organizerId,
      name: eventName,
      status,
      capacity,
      startTime,
      endTime,
      firstSeenAt,
      versionAt,
      ...figures
    } = rows[0] as NonNullable<(typeof rows)[number]>;
    // A left join on the primary key: the event's columns are all null exactly when it is unknown.
    const event: Selectable<EventsTable> | undefined =
      knownId === null
        ? undefined
        : ({
            eventId: knownId,
            organizerId,
            name: eventName,
            status,
            capacity,
            startTime,
            endTime,
            firstSeenAt,
            versionAt,
          } as Selectable<EventsTable>);
    return {
      event,
      stats: shards > 0 ? figures : undefined,
      ticketTypes: {
        currency: ticketTypes.find((row) => row.currency && !row.deleted)?.currency ?? null,
        rows: ticketTypes.map(({ ticketTypeId, name, sold, revenue }) => ({ ticketTypeId, name, sold, revenue })),
      },
    };
  }

  async buckets(eventId: string, interval: 'hour' | 'day', metric: TimeseriesMetric, from: Date, to: Date) {
    const { rows } = await sql<{ bucket: Date; value: number }>`
      select bucket, sum(${sql.id(bucketColumns[metric])}) as value
      from ${this.table(interval === 'hour' ? 'event_stats_hourly' : 'event_stats_daily')}
      where event_id = ${eventId} and bucket >= ${from} and bucket < ${to}
      group by bucket order by bucket`.execute(this.db);
    return rows;
  }

  /** Totals over an organizer's events (events_organizer_id_idx, then the shard rows of each event). */
  async organizerTotals(organizerId: string) {
    const { rows } = await sql<{
      events: number;
      capacity: number;
      ticketsSold: number;
      pending: number;
      confirmed: number;
      cancelled: number;
      expired: number;
      gross: number;
      refunded: number;
      checkIns: number;
      pageViews: number;
      uniqueVisitors: number;
      currencies: string[];
      asOf: Date | null;
    }>`
      with mine as (
        select event_id, capacity, version_at from ${this.table('events')}
        where organizer_id = ${organizerId} and status <> 'deleted'
      ), figures as (
        select s.* from ${this.table('event_stats')} s join mine using (event_id)
      )
      select (select count(*) from mine)::int as events,
             (select coalesce(sum(capacity), 0) from mine) as capacity,
             coalesce(sum(tickets_sold), 0) as tickets_sold, coalesce(sum(pending), 0) as pending,
             coalesce(sum(confirmed), 0) as confirmed, coalesce(sum(cancelled), 0) as cancelled,
             coalesce(sum(expired), 0) as expired, coalesce(sum(gross), 0) as gross,
             coalesce(sum(refunded), 0) as refunded, coalesce(sum(check_ins), 0) as check_ins,
             coalesce(sum(page_views), 0) as page_views, coalesce(sum(unique_visitors), 0) as unique_visitors,
             coalesce(array_agg(distinct currency) filter (where currency is not null), '{}') as currencies,
             greatest(max(as_of), (select max(version_at) from mine)) as as_of
      from figures`.execute(this.db);
    return rows[0] as NonNullable<(typeof rows)[number]>;
  }

  /** The organizer's most recently created events with their headline figures. */
  async organizerEvents(organizerId: string, limit: number) {
    const { rows } = await sql<{
      eventId: string;
      name: string;
      status: string;
      capacity: number;
      ticketsSold: number;
      confirmed: number;
      netRevenue: number;
      currency: string | null;
    }>`
      select e.event_id, e.name, e.status, e.capacity,
             coalesce(sum(s.tickets_sold), 0) as tickets_sold, coalesce(sum(s.confirmed), 0) as confirmed,
             coalesce(sum(s.gross - s.refunded), 0) as net_revenue, max(s.currency) as currency
      from ${this.table('events')} e
      left join ${this.table('event_stats')} s on s.event_id = e.event_id
      where e.organizer_id = ${organizerId} and e.status <> 'deleted'
      group by e.event_id
      order by e.first_seen_at desc, e.event_id
      limit ${limit}`.execute(this.db);
    return rows;
  }
}
