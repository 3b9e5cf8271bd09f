import type { CloudEvent } from '@echoplex/contracts';
import type { Kysely, Transaction } from '@echoplex/db';
import type { PaymentsDb } from '../db/schema';
import { EventOwnerRepository } from '../repositories/event-owner.repository';

/** Every event type names the organizer; the latest one wins (they are ordered per event id). */
export async function eventOwnership(
  event: CloudEvent<{ eventId: string; organizerId: string }>,
  trx: Transaction<any>,
): Promise<void> {
  await new EventOwnerRepository(trx as Kysely<PaymentsDb>).record(event.data.eventId, event.data.organizerId);
}
