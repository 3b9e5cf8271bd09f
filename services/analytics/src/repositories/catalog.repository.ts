import type { Kysely, Transaction } from '@echoplex/db';
import type { AnalyticsDb, EventsTable, TicketTypesTable } from '../db/schema';

/**
 * Events and ticket types are states, not deltas: the row keeps the newest version by CloudEvent
 * time, so a redelivered or late older version never overwrites a newer one.
 */
export async function saveEventVersion(trx: Transaction<AnalyticsDb>, event: EventsTable): Promise<void> {
  await trx
    .insertInto('events')
    .values(event)
    .onConflict((oc) =>
      oc
        .column('eventId')
        .doUpdateSet((eb) => ({
          organizerId: eb.ref('excluded.organizerId'),
          name: eb.ref('excluded.name'),
          status: eb.ref('excluded.status'),
          capacity: eb.ref('excluded.capacity'),
          startTime: eb.ref('excluded.startTime'),
          endTime: eb.ref('excluded.endTime'),
          versionAt: eb.ref('excluded.versionAt'),
        }))
        .where('events.versionAt', '<=', (eb) => eb.ref('excluded.versionAt')),
    )
    .execute();
}

export async function markEventDeleted(
  trx: Transaction<AnalyticsDb>,
  event: { eventId: string; organizerId: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      eventId: event.eventId,
      organizerId: event.organizerId,
      name: '',
      status: 'deleted',
      capacity: 0,
      startTime: null,
      endTime: null,
      firstSeenAt: event.at,
      versionAt: event.at,
    })
    .onConflict((oc) =>
      oc
        .column('eventId')
        .doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), versionAt: eb.ref('excluded.versionAt') }))
        .where('events.versionAt', '<=', (eb) => eb.ref('excluded.versionAt')),
    )
    .execute();
}

export async function saveTicketTypeVersion(
  trx: Transaction<AnalyticsDb>,
  ticketType: Omit<TicketTypesTable, 'deleted'>,
): Promise<void> {
  await trx
    .insertInto('ticketTypes')
    .values(ticketType)
    .onConflict((oc) =>
      oc
        .column('ticketTypeId')
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          price: eb.ref('excluded.price'),
          currency: eb.ref('excluded.currency'),
          quantity: eb.ref('excluded.quantity'),
          versionAt: eb.ref('excluded.versionAt'),
        }))
        .where('ticketTypes.versionAt', '<=', (eb) => eb.ref('excluded.versionAt')),
    )
    .execute();
}

export async function markTicketTypeDeleted(
  trx: Transaction<AnalyticsDb>,
  ticketType: { eventId: string; ticketTypeId: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('ticketTypes')
    .values({
      ticketTypeId: ticketType.ticketTypeId,
      eventId: ticketType.eventId,
      name: '',
      price: 0,
      currency: '',
      quantity: 0,
      deleted: true,
      versionAt: ticketType.at,
    })
    .onConflict((oc) =>
      oc
        .column('ticketTypeId')
        .doUpdateSet((eb) => ({ deleted: eb.ref('excluded.deleted'), versionAt: eb.ref('excluded.versionAt') }))
        .where('ticketTypes.versionAt', '<=', (eb) => eb.ref('excluded.versionAt')),
    )
    .execute();
}

/** Every event the reporting tables know and that still exists. */
export async function knownEventIds(db: Kysely<AnalyticsDb>): Promise<string[]> {
  const rows = await db.selectFrom('events').select('eventId').where('status', '!=', 'deleted').execute();
  return rows.map((row) => row.eventId);
}
