import { type Principal, problems } from '@echoplex/http';
import { selfServiceCancelRefusal } from '../domain/refund-window';
import { type RegistrationView, registrationViews } from '../queries/views';
import { activeStatuses } from '../repositories/registration.repository';
import type { TicketingContext } from '../ticketing-context';
import { endRegistrations } from './end-registrations';

/**
 * The attendee cancels: a hold or a free registration just ends; a paid, confirmed one ends with a
 * refund requested from payments (`registration.cancelled` with `refundRequested: true`), but only
 * within the event's refund policy (`selfServiceCancelRefusal`). The seats go back at once either way.
 * A check-in locks the registration too, so none can slip in between the check and the cancellation.
 */
export async function cancelRegistration(
  ctx: TicketingContext,
  principal: Principal,
  registrationId: string,
): Promise<RegistrationView> {
  const now = ctx.clock();
  const cancelled = await ctx.db.transaction().execute(async (trx) => {
    const registration = await ctx.registrations.findForUpdate(trx, registrationId);
    if (!registration || registration.userId !== principal.userId) throw problems.notFound('The registration');
    if (!activeStatuses.includes(registration.status)) {
      throw problems.conflict('invalid_state', `The registration is already ${registration.status}.`);
    }
    const event = await ctx.events.find(registration.eventId, trx);
    const checkedIn = await ctx.registrations.anyTicketCheckedIn(trx, registration.id);
    if (event && selfServiceCancelRefusal(registration, checkedIn, event, now)) {
      throw problems.conflict(
        'refund_window_closed',
        checkedIn
          ? 'A ticket of this registration was checked in; only the organizer can cancel it now.'
          : 'Self-service refunds for this event have closed; only the organizer can refund it now.',
      );
    }
    const refundRequested = registration.status === 'confirmed' && registration.amount > 0;
    const [ended] = await endRegistrations(
      ctx,
      trx,
      registration.eventId,
      [{ registration, status: 'cancelled', reason: 'attendee', refundRequested }],
      now,
    );
    return ended as NonNullable<typeof ended>;
  });
  ctx.availability.invalidate(cancelled.eventId);
  const [view] = await registrationViews([cancelled], (ids) => ctx.registrations.ticketsOf(ids));
  return view as RegistrationView;
}
