import { randomUUID } from 'node:crypto';
import { busTablesMigration, Outbox, type OutboxRelay, startOutboxRelay, type Transport } from '@echoplex/bus';
import { createDatabase, type Database, migrateSchema, sql } from '@echoplex/db';

/**
 * Plays ticketing for the benchmark with the real write path: each seat change is a transaction that
 * updates a row and appends `availability.changed` to an outbox, and the real relay publishes it.
 * "Commit" in commit-to-client latency is the moment that transaction committed.
 */
export class TicketingStandIn {
  private readonly outbox = new Outbox('bench_ticketing', 'ticketing');
  private constructor(
    private readonly database: Database<any>,
    private readonly relay: OutboxRelay,
  ) {}

  static async start(databaseUrl: string, transport: Transport): Promise<TicketingStandIn> {
    const database = createDatabase<any>({
      url: databaseUrl,
      poolMax: 8,
      connectionTimeoutMs: 60_000,
      applicationName: 'bench-ticketing',
    });
    await migrateSchema(database.kysely, 'bench_ticketing', {
      '0000_bus-tables': busTablesMigration,
      '0001_seats': {
        async up(db) {
          await sql`create table seats (ticket_type_id uuid primary key, event_id uuid not null, available int not null, quantity int not null, version int not null)`.execute(
            db,
          );
        },
      },
    });
    const relay = await startOutboxRelay({
      kysely: database.kysely.withSchema('bench_ticketing'),
      schema: 'bench_ticketing',
      databaseUrl,
      transport,
    });
    return new TicketingStandIn(database, relay);
  }

  /** A published event with `ticketTypes` ticket types of a million seats each. */
  async createEvent(ticketTypes: number): Promise<{ eventId: string; ticketTypeIds: string[] }> {
    const eventId = randomUUID();
    const ticketTypeIds = Array.from({ length: ticketTypes }, () => randomUUID());
    const quantity = 1_000_000;
    await this.scoped.transaction().execute(async (trx) => {
      await trx
        .insertInto('seats')
        .values(
          ticketTypeIds.map((ticketTypeId) => ({ ticketTypeId, eventId, available: quantity, quantity, version: 1 })),
        )
        .execute();
      await this.outbox.append(trx, {
        topic: 'events.event.v1',
        type: 'event.published',
        key: eventId,
        data: {
          eventId,
          organizerId: randomUUID(),
          name: 'Sale day',
          status: 'published',
          startTime: '2030-06-01T18:00:00.000Z',
          endTime: '2030-06-01T23:00:00.000Z',
          capacity: quantity * ticketTypes,
          city: null,
          categories: [],
        },
      });
      await this.outbox.append(
        trx,
        ...ticketTypeIds.map((ticketTypeId) => ({
          topic: 'ticketing.availability.v1' as const,
          type: 'availability.changed' as const,
          key: ticketTypeId,
          data: { eventId, ticketTypeId, available: quantity, quantity, version: 1 },
        })),
      );
    });
    return { eventId, ticketTypeIds };
  }

  /** Sells one seat of each ticket type in one transaction; returns the versions and the commit time. */
  async sell(ticketTypeIds: string[]): Promise<{ versions: [string, number][]; committedAt: number }> {
    const versions = await this.scoped.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('seats')
        .set({ available: sql`available - 1`, version: sql`version + 1` })
        .where('ticketTypeId', 'in', ticketTypeIds)
        .returning(['ticketTypeId', 'eventId', 'available', 'quantity', 'version'])
        .execute();
      await this.outbox.append(
        trx,
        ...rows.map((row) => ({
          topic: 'ticketing.availability.v1' as const,
          type: 'availability.changed' as const,
          key: row.ticketTypeId as string,
          data: {
            eventId: row.eventId as string,
            ticketTypeId: row.ticketTypeId as string,
            available: row.available as number,
            quantity: row.quantity as number,
            version: row.version as number,
          },
        })),
      );
      return rows.map((row) => [row.ticketTypeId as string, row.version as number] as [string, number]);
    });
    return { versions, committedAt: Date.now() };
  }

  /** The outbox writes unqualified table names: transactions run on the schema-scoped instance. */
  private get scoped() {
    return this.database.kysely.withSchema('bench_ticketing');
  }

  async close(): Promise<void> {
    await this.relay.flush();
    await this.relay.stop();
    await this.database.close();
  }
}
