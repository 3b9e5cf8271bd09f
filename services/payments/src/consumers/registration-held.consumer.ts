import type { EventHandler } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { PaymentsDb } from '../db/schema';
import { HoldRepository } from '../repositories/hold.repository';
import { holdFacts } from './registration-facts';

/** Learns what a pending registration costs, who may pay it and until when. */
export const registrationHeld: EventHandler<'ticketing.registration.v1', 'registration.held'> = async (event, trx) => {
  await new HoldRepository(trx as Kysely<PaymentsDb>).insertHeld({
    ...holdFacts(event.data),
    status: 'pending',
    expiresAt: new Date(event.data.expiresAt),
  });
};
