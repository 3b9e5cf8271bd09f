import type { CloudEvent, EventDeleted, EventState } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { markEventDeleted, saveEventVersion } from '../repositories/catalog.repository';

/** Ownership, name and capacity of events: who may read an event's figures and how full it is. */
export async function recordEventChanged(event: CloudEvent<EventState>, trx: Transaction<AnalyticsDb>) {
  const at = new Date(event.time);
  await saveEventVersion(trx, {
    eventId: event.data.eventId,
    organizerId: event.data.organizerId,
    name: event.data.name,
    status: event.data.status,
    capacity: event.data.capacity,
    startTime: new Date(event.data.startTime),
    endTime: new Date(event.data.endTime),
    firstSeenAt: at,
    versionAt: at,
  });
}

export async function recordEventDeleted(event: CloudEvent<EventDeleted>, trx: Transaction<AnalyticsDb>) {
  await markEventDeleted(trx, { ...event.data, at: new Date(event.time) });
}
