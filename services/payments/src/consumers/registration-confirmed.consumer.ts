import type { EventHandler } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { PaymentsDb } from '../db/schema';
import { HoldRepository } from '../repositories/hold.repository';
import { holdFacts } from './registration-facts';

/** Ticketing confirmed the seats (also after re-reserving an expired hold): nothing is left to pay. */
export const registrationConfirmed: EventHandler<'ticketing.registration.v1', 'registration.confirmed'> = async (
  event,
  trx,
) => {
  await new HoldRepository(trx as Kysely<PaymentsDb>).recordStatus(holdFacts(event.data), 'confirmed');
};
