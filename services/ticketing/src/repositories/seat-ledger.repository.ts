import { notifyChannel } from '@echoplex/bus';
import { type Insertable, type Kysely, sql, type Transaction } from '@echoplex/db';
import { type RegistrationsTable, type TicketingDb, type TicketsTable, ticketingSchema } from '../db/schema';
import { type OutboxRow, outboxHeaders } from '../domain/outbox-row';

/** What a registration writes together with its seats. */
export interface Sale {
  registration: Insertable<RegistrationsTable>;
  tickets: Insertable<TicketsTable>[];
  events: OutboxRow[];
  claim?: { userId: string; key: string; requestHash: string; statusCode: number; response: unknown };
}

export interface TicketTypeSeats {
  id: string;
  quantity: number;
  sold: number;
}

export interface EventSeats {
  id: string;
  capacity: number;
  taken: number;
  version: number;
}

/** The seat counters of one event right after a change: what availability is computed from. */
export interface SeatSnapshot {
  event: EventSeats;
  ticketTypes: TicketTypeSeats[];
}

/** Commits that change what GET /availability shows notify this channel with the event id. */
export const availabilityChannel = 'ticketing_availability';

/**
 * The seat counters: `ticket_types.sold` against `quantity`, and `events.taken` against `capacity`,
 * changed by conditional UPDATEs (`... SET taken = taken + n WHERE taken + n <= capacity`).
 *
 * Why this design — measured with pgbench on this 2-core machine, one hot ticket type, the whole
 * registration transaction (bench/purchase/pgbench; all figures in bench/purchase/RESULTS.md).
 * Quietest run, tps at 1 / 16 / 64 clients:
 *   conditional UPDATE (locks taken last)   1,408 /   723 /   582
 *   SELECT ... FOR UPDATE, then UPDATE      1,162 / 1,350 /   482
 *   pre-allocated seat rows, SKIP LOCKED      580 /   554 /   442
 *   split counters (16 slots)               1,052 / 2,563 / 2,491
 * Split counters win on raw rate only by giving up the one serialization point per event: no
 * transaction then knows the exact seats left, so neither the event-wide cap across ticket types
 * nor `availability.changed` (whose highest version must be the truth on a compacted topic) can be
 * enforced or computed in the same transaction, and an order spanning two slots needs a slow path.
 * SKIP LOCKED seat rows refuse buyers ("sold out") while others hold rows they then roll back, and
 * slow down as claimed rows pile up in the index. The conditional UPDATE is exact: a waiting buyer
 * re-checks the condition against the committed row (EvalPlanQual), so no seat is oversold and none
 * is refused while one is left.
 *
 * Its cost is that every buyer of an event queues on the event row for as long as the holder keeps
 * it, and through the HTTP service that time was dominated by round trips to Node while the lock
 * was held (sessions "idle in transaction" holding it, 60 registrations/s). `takeSeats` therefore
 * does everything in one statement, run as its own transaction: the lock lives for PostgreSQL's
 * own work and commit only, which brought the service from 25% to about the same-run pgbench
 * rate of the classic transaction on the same (heavily shared) machine (42–117% across runs).
 *
 * Lock order everywhere: registrations, then ticket types (by id), then the event row — so the
 * commands, consumers and the sweeper never deadlock one another.
 */
export class SeatLedger {
  /**
   * Takes `seats` of the ticket type and of the event, or none (false) when either limit would be
   * exceeded or the event is no longer published or has started — in ONE statement, which also
   * writes the `availability.changed` outbox rows of the change (for the ticket type, and for every
   * other ticket type of the event whose availability the event-wide cap moved) and, for a new
   * registration, the registration, its tickets, its outbox rows and its idempotency key. Run
   * outside a transaction it is its own transaction: the seat locks are then held while PostgreSQL
   * executes and commits it, never across a round trip to Node — on a busy machine a round trip is
   * milliseconds, and every other buyer of the event waits through it (bench/purchase/RESULTS.md).
   *
   * Order inside: the ticket type row is locked first (FOR NO KEY UPDATE, re-checked against its
   * newest version), then the event row is updated only if the ticket type has room, then the
   * ticket type — so both change or neither, and every effect below is written FROM the event's
   * updated row: nothing at all happens when the seats are refused. The event's other ticket types
   * are read after the event row is locked with a locking read, which in READ COMMITTED returns the
   * newest committed version, so the availability published with the highest version is the truth.
   * FOR KEY SHARE waits for nobody (seat changes take FOR NO KEY UPDATE, which it does not conflict with).
   */
  async takeSeats(
    executor: Kysely<TicketingDb>,
    request: { eventId: string; ticketTypeId: string; seats: number; now: Date },
    sale?: Sale,
  ): Promise<boolean> {
    const { eventId, ticketTypeId, seats, now } = request;
    const table = (name: string) => sql.table(`${ticketingSchema}.${name}`);
    const registration = snakeCase(sale?.registration ?? {});
    const tickets = sale?.tickets.map(snakeCase) ?? [];
    const saleEffects = sale
      ? sql`,
        registration as (
          insert into ${table('registrations')} (${columnList(registration)})
          select ${fieldsOf('r', registration)}
          from ev, jsonb_populate_record(null::${table('registrations')}, ${JSON.stringify(registration)}::jsonb) r
        ),
        ticket as (
          insert into ${table('tickets')} (${columnList(tickets[0] ?? {})})
          select ${fieldsOf('t', tickets[0] ?? {})}
          from ev, jsonb_populate_recordset(null::${table('tickets')}, ${JSON.stringify(tickets)}::jsonb) t
        ),
        registration_event as (
          insert into ${table('outbox')} (id, aggregatetype, aggregateid, type, payload, headers)
          select row.id, row.aggregatetype, row.aggregateid, row.type, row.payload, row.headers
          from ev, jsonb_to_recordset(${JSON.stringify(sale.events)}::jsonb)
            as row(id uuid, aggregatetype text, aggregateid text, type text, payload jsonb, headers jsonb)
        )${
          sale.claim
            ? sql`,
        claim as (
          insert into ${table('idempotency_keys')} (user_id, key, request_hash, status_code, response)
          select ${sale.claim.userId}, ${sale.claim.key}, ${sale.claim.requestHash}, ${sale.claim.statusCode},
            ${JSON.stringify(sale.claim.response)}::jsonb
          from ev
        )`
            : sql``
        }`
      : sql``;
    const { rows } = await sql<{ id: string }>`
      with lk as (
        select id from ${table('ticket_types')}
        where id = ${ticketTypeId} and event_id = ${eventId} and deleted_at is null and sold + ${seats} <= quantity
        for no key update
      ),
      ev as (
        update ${table('events')} set taken = taken + ${seats}, version = version + 1
        where id = ${eventId} and status = 'published' and start_time > ${now}
          and taken + ${seats} <= capacity and exists (select 1 from lk)
        returning id, capacity, taken, version
      ),
      tt as (
        update ${table('ticket_types')} set sold = sold + ${seats}
        where id = ${ticketTypeId} and exists (select 1 from ev)
        returning id, quantity, sold
      ),
      other as (
        select o.id, o.quantity, o.sold from ${table('ticket_types')} o join ev on o.event_id = ev.id
        where o.id <> ${ticketTypeId} and o.deleted_at is null
        for key share of o
      ),
      changed as (
        select tt.id, tt.quantity, greatest(0, least(tt.quantity - tt.sold, ev.capacity - ev.taken)) as available
        from tt, ev
        union all
        -- Another type is announced only if the cap moved it: it had more left than the event has now.
        select other.id, other.quantity, greatest(0, least(other.quantity - other.sold, ev.capacity - ev.taken))
        from other, ev
        where other.quantity - other.sold > ev.capacity - ev.taken and ev.capacity - ev.taken + ${seats} > 0
      ),
      announced as (
        insert into ${table('outbox')} (id, aggregatetype, aggregateid, type, payload, headers)
        select gen_random_uuid(), 'ticketing.availability.v1', changed.id::text, 'availability.changed',
          jsonb_build_object('eventId', ev.id, 'ticketTypeId', changed.id, 'available', changed.available,
            'quantity', changed.quantity, 'version', ev.version),
          ${JSON.stringify(outboxHeaders())}::jsonb || jsonb_build_object('ce_subject', changed.id::text)
        from changed, ev
      )${saleEffects}
      select ev.id, pg_notify(${notifyChannel(ticketingSchema)}, ''), pg_notify(${availabilityChannel}, ${eventId})
      from ev`.execute(executor);
    return rows.length > 0;
  }

  /** Gives seats back to their ticket types and to the event. */
  async release(
    trx: Transaction<TicketingDb>,
    eventId: string,
    releases: { ticketTypeId: string; seats: number }[],
  ): Promise<SeatSnapshot> {
    const byType = new Map<string, number>();
    for (const { ticketTypeId, seats } of releases) byType.set(ticketTypeId, (byType.get(ticketTypeId) ?? 0) + seats);
    let total = 0;
    for (const [ticketTypeId, seats] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
      await trx
        .updateTable('ticketTypes')
        .set((eb) => ({ sold: eb('sold', '-', seats) }))
        .where('id', '=', ticketTypeId)
        .execute();
      total += seats;
    }
    const event = await trx
      .updateTable('events')
      .set((eb) => ({ taken: eb('taken', '-', total), version: eb('version', '+', 1) }))
      .where('id', '=', eventId)
      .returning(['id', 'capacity', 'taken', 'version'])
      .executeTakeFirstOrThrow();
    return { event, ticketTypes: await this.ticketTypesOf(trx, eventId) };
  }

  /**
   * Locks an event's ticket types (in id order) ahead of its event row: for changes that must also
   * stop new reservations, such as cancelling the event, without inverting the lock order.
   */
  async lockTicketTypes(trx: Transaction<TicketingDb>, eventId: string): Promise<void> {
    await trx
      .selectFrom('ticketTypes')
      .select('id')
      .where('eventId', '=', eventId)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  }

  /** A new availability version for a change that moved no seat (quantity, capacity, status). */
  async touch(trx: Transaction<TicketingDb>, eventId: string): Promise<SeatSnapshot> {
    const event = await trx
      .updateTable('events')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', eventId)
      .returning(['id', 'capacity', 'taken', 'version'])
      .executeTakeFirstOrThrow();
    return { event, ticketTypes: await this.ticketTypesOf(trx, eventId) };
  }

  /**
   * Tells every instance's availability cache that this event changed. Delivered at commit only,
   * so a rolled-back change invalidates nothing; issued before the seat locks so it adds no time
   * to them.
   */
  async announce(trx: Transaction<TicketingDb>, eventId: string): Promise<void> {
    await sql`select pg_notify(${availabilityChannel}, ${eventId})`.execute(trx);
  }

  /**
   * Read after the event row is locked, in a statement of its own: in READ COMMITTED that statement
   * sees every change committed before the lock was granted, so the availability published with the
   * highest version is always the true one.
   */
  ticketTypesOf(trx: Transaction<TicketingDb>, eventId: string): Promise<TicketTypeSeats[]> {
    return trx
      .selectFrom('ticketTypes')
      .select(['id', 'quantity', 'sold'])
      .where('eventId', '=', eventId)
      .where('deletedAt', 'is', null)
      .orderBy('id')
      .execute();
  }
}

/** Column names as PostgreSQL has them, for jsonb_populate_record. */
function snakeCase(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]),
  );
}

/** The columns a row sets, named explicitly: columns it leaves out keep their defaults. */
function columnList(row: Record<string, unknown>) {
  return sql.join(Object.keys(row).map((column) => sql.id(column)));
}

function fieldsOf(alias: string, row: Record<string, unknown>) {
  return sql.join(Object.keys(row).map((column) => sql.id(alias, column)));
}
