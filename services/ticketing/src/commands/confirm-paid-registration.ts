import type { Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import { publish, registrationCancelled, registrationEvent } from '../domain/domain-events';
import type { TicketingContext } from '../ticketing-context';

/**
 * A payment succeeded. A hold becomes confirmed. A hold that expired before the money arrived takes
 * its seats again if they are still there; if not (or the event closed), the registration is
 * cancelled as `hold_lost` and payments is asked to refund. Money for a registration cancelled in
 * the meantime is likewise sent back. Duplicates change nothing. Returns the seats it confirmed.
 */
export async function confirmPaidRegistration(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  registrationId: string,
  now: Date,
): Promise<number> {
  const registration = await ctx.registrations.findForUpdate(trx, registrationId);
  if (!registration) {
    ctx.log.warn({ registrationId }, 'payment for an unknown registration ignored');
    return 0;
  }
  switch (registration.status) {
    case 'confirmed':
      return 0;
    case 'pending': {
      const confirmed = await ctx.registrations.update(trx, registration.id, { status: 'confirmed', updatedAt: now });
      await publish(ctx.outbox, trx, [registrationEvent('registration.confirmed', confirmed, now)]);
      return confirmed.quantity;
    }
    case 'expired': {
      const { eventId, ticketTypeId, quantity } = registration;
      let reserved = false;
      if (!(await ctx.registrations.hasOtherActive(trx, registration))) {
        reserved = await ctx.seats.takeSeats(trx, { eventId, ticketTypeId, seats: quantity, now });
      }
      if (reserved) {
        const confirmed = await ctx.registrations.update(trx, registration.id, { status: 'confirmed', updatedAt: now });
        // The seat ledger wrote the availability.changed rows with the seats.
        await publish(ctx.outbox, trx, [registrationEvent('registration.confirmed', confirmed, now)]);
        return confirmed.quantity;
      }
      const lost = await ctx.registrations.update(trx, registration.id, {
        status: 'cancelled',
        cancelReason: 'hold_lost',
        refundRequested: true,
        updatedAt: now,
      });
      await publish(ctx.outbox, trx, [registrationCancelled(lost, 'hold_lost', true, now)]);
      return 0;
    }
    case 'cancelled': {
      if (registration.refundRequested) return 0;
      const refunding = await ctx.registrations.update(trx, registration.id, { refundRequested: true, updatedAt: now });
      await publish(ctx.outbox, trx, [
        registrationCancelled(refunding, refunding.cancelReason ?? 'attendee', true, now),
      ]);
      return 0;
    }
  }
}
