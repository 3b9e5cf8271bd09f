import type { EventHandler } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { PaymentsDb } from '../db/schema';
import { HoldRepository } from '../repositories/hold.repository';
import { PaymentRepository } from '../repositories/payment.repository';
import { holdFacts } from './registration-facts';

/**
 * The hold ran out before payment arrived: its open intent is marked for cancellation, which the
 * jobs carry out at Stripe after this commits (no network call inside the consumer's transaction).
 */
export const registrationExpired: EventHandler<'ticketing.registration.v1', 'registration.expired'> = async (
  event,
  trx,
) => {
  const db = trx as Kysely<PaymentsDb>;
  await new HoldRepository(db).recordStatus(holdFacts(event.data), 'expired');
  const payments = new PaymentRepository(db);
  const open = await payments.openOf(event.data.registrationId);
  await payments.requestCancel(open.map((payment) => payment.id));
};
