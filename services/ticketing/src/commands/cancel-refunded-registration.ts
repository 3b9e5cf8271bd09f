import type { Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import type { TicketingContext } from '../ticketing-context';
import { endRegistrations } from './end-registrations';

/** A payment refunded in full (e.g. by the organizer) cancels its confirmed registration and frees the seats. */
export async function cancelRefundedRegistration(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  payment: { registrationId: string; fullyRefunded: boolean },
  now: Date,
): Promise<void> {
  if (!payment.fullyRefunded) return;
  const registration = await ctx.registrations.findForUpdate(trx, payment.registrationId);
  if (registration?.status !== 'confirmed') return;
  await endRegistrations(
    ctx,
    trx,
    registration.eventId,
    [{ registration, status: 'cancelled', reason: 'refunded', refundRequested: false }],
    now,
  );
}
