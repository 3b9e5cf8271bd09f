import { type Principal, problems } from '@echoplex/http';
import { normalizeConfirmationCode } from '../domain/confirmation-code';
import { publish, ticketCheckedIn } from '../domain/domain-events';
import { type RegistrationView, registrationView, type TicketView, ticketView } from '../queries/views';
import type { TicketingContext } from '../ticketing-context';
import { eventOwnedBy } from './event-access';

/**
 * Admits the holder of a ticket code once. The check-in time is set by a conditional UPDATE, so two
 * doors scanning the same ticket at once admit it once; the second learns when it was first scanned.
 * The registration is locked (shared) meanwhile, so an attendee's cancellation cannot pass unseen.
 */
export async function checkInTicket(
  ctx: TicketingContext,
  principal: Principal,
  eventId: string,
  rawCode: string,
): Promise<{ ticket: TicketView; registration: RegistrationView }> {
  await eventOwnedBy(ctx, principal, eventId);
  const ticket = await ctx.registrations.findTicketByCode(eventId, normalizeConfirmationCode(rawCode));
  if (!ticket) throw problems.notFound('The ticket');
  const now = ctx.clock();
  const admitted = await ctx.db.transaction().execute(async (trx) => {
    // Shared with other doors, exclusive of a cancellation: a ticket is never both used and refunded.
    const registration = await ctx.registrations.findForShare(trx, ticket.registrationId);
    if (!registration) throw problems.notFound('The ticket');
    if (registration.status !== 'confirmed') {
      throw problems.conflict('invalid_state', `The registration of this ticket is ${registration.status}.`, {
        registrationStatus: registration.status,
      });
    }
    const checkedIn = await ctx.registrations.checkIn(trx, ticket.id, now);
    if (!checkedIn) return undefined;
    await publish(ctx.outbox, trx, [
      ticketCheckedIn({ ...checkedIn, checkedInAt: checkedIn.checkedInAt as Date }, registration.ticketTypeId),
    ]);
    return { ticket: checkedIn, registration };
  });
  if (!admitted) {
    const first = await ctx.registrations.findTicketByCode(eventId, ticket.code);
    const checkedInAt = first?.checkedInAt?.toISOString() ?? null;
    throw problems.conflict('already_checked_in', `This ticket was already checked in at ${checkedInAt}.`, {
      checkedInAt,
    });
  }
  const tickets = await ctx.registrations.ticketsOf([admitted.registration.id]);
  return { ticket: ticketView(admitted.ticket), registration: registrationView(admitted.registration, tickets) };
}
