import { isUniqueViolation } from '@echoplex/db';
import { type Principal, Problem, problems } from '@echoplex/http';
import { type AccountRefusal, accountRefusal, cooldownWindowStart } from '../domain/account-limits';
import { availableSeats, saleRefusal } from '../domain/availability';
import { newConfirmationCode } from '../domain/confirmation-code';
import { registrationEvent } from '../domain/domain-events';
import { newId } from '../domain/ids';
import { outboxRow } from '../domain/outbox-row';
import { type RegistrationView, registrationView } from '../queries/views';
import type { RegistrationRow, TicketRow } from '../repositories/registration.repository';
import type { TicketingContext } from '../ticketing-context';
import type { KeyClaim } from './idempotent-request';

export interface RegistrationRequest {
  eventId: string;
  ticketTypeId: string;
  quantity: number;
  attendees?: { firstName: string; lastName: string; email: string }[];
}

const saleRefusalDetails = {
  event_not_open: 'The event is not open for registration (draft, cancelled or already started).',
  sales_not_open: 'Sales for this ticket type have not started yet.',
  sales_closed: 'Sales for this ticket type have ended.',
};

/** Fresh codes are drawn this many times should one collide with an existing code (about 1 in 10^9). */
const codeAttempts = 3;

/**
 * Registers the caller: a free ticket type confirms at once, a paid one holds the seats until
 * `expiresAt`. The checks that need no lock run first against committed state (so a sold-out storm
 * is refused without writing anything); then one statement takes the seats and writes everything.
 */
export async function registerAttendee(
  ctx: TicketingContext,
  principal: Principal,
  request: RegistrationRequest,
  claim?: KeyClaim,
): Promise<RegistrationView> {
  const now = ctx.clock();
  const target = await ctx.ticketTypes.findForSale(request.eventId, request.ticketTypeId);
  if (!target) {
    throw (await ctx.events.find(request.eventId))
      ? problems.notFound('The ticket type')
      : problems.notFound('The event');
  }
  const { event, ticketType } = target;
  // A draft is refused as not open (not hidden as missing): its ticket type ids were shared already.
  if (event.status === 'deleted') throw problems.notFound('The event');
  const refusal = saleRefusal(ticketType, event, now);
  if (refusal) throw problems.conflict(refusal, saleRefusalDetails[refusal]);
  const { quantity } = request;
  if (quantity < ticketType.minPerOrder || quantity > ticketType.maxPerOrder) {
    throw problems.unprocessable(
      'quantity_out_of_range',
      `Order between ${ticketType.minPerOrder} and ${ticketType.maxPerOrder} tickets of this type.`,
      [{ path: 'body.quantity', message: `must be between ${ticketType.minPerOrder} and ${ticketType.maxPerOrder}` }],
    );
  }
  if ((request.attendees?.length ?? 0) > quantity) {
    throw problems.validation([{ path: 'body.attendees', message: 'must not list more attendees than tickets' }]);
  }
  if (availableSeats(ticketType, event) < quantity) throw soldOut();

  const paid = ticketType.price > 0;
  for (let attempt = 1; ; attempt++) {
    const registration: RegistrationRow = {
      id: newId(now.getTime()),
      code: newConfirmationCode(),
      userId: principal.userId,
      eventId: event.id,
      ticketTypeId: ticketType.id,
      quantity,
      status: paid ? 'pending' : 'confirmed',
      amount: ticketType.price * quantity,
      currency: ticketType.currency,
      expiresAt: paid ? new Date(now.getTime() + ctx.holdMinutes * 60_000) : null,
      cancelReason: null,
      refundRequested: false,
      createdAt: now,
      updatedAt: now,
      confirmationMailedAt: null,
    };
    const tickets: TicketRow[] = Array.from({ length: quantity }, (_, position) => ({
      id: newId(now.getTime()),
      registrationId: registration.id,
      eventId: event.id,
      position,
      code: newConfirmationCode(),
      attendeeFirstName: request.attendees?.[position]?.firstName ?? null,
      attendeeLastName: request.attendees?.[position]?.lastName ?? null,
      attendeeEmail: request.attendees?.[position]?.email ?? null,
      checkedInAt: null,
    }));
    const view = registrationView(registration, tickets);
    // One autocommit statement: seats, registration, tickets, outbox rows and the idempotency key
    // commit together or not at all, and no seat lock waits on a round trip to this process.
    const takeSeats = (executor: typeof ctx.db) =>
      ctx.seats.takeSeats(
        executor,
        { eventId: event.id, ticketTypeId: ticketType.id, seats: quantity, now },
        {
          registration,
          tickets,
          events: [
            outboxRow(registrationEvent(paid ? 'registration.held' : 'registration.confirmed', registration, now)),
          ],
          claim: claim && { ...claim, statusCode: 201, response: view },
        },
      );
    try {
      // Only holds and capped events have limits per account; other orders skip the account's lock.
      const sold =
        paid || event.maxTicketsPerAccount !== null
          ? await ctx.holdings.whileLocked(
              ctx.db,
              { userId: principal.userId, eventId: event.id },
              async (connection) => {
                const holdings = await ctx.holdings.read(
                  connection,
                  { userId: principal.userId, eventId: event.id },
                  cooldownWindowStart(ctx.holdPolicy, now),
                );
                const refusal = accountRefusal(
                  holdings,
                  { quantity, paid },
                  event.maxTicketsPerAccount,
                  ctx.holdPolicy,
                  now,
                );
                if (refusal) throw accountProblem(refusal, now);
                return takeSeats(connection);
              },
            )
          : await takeSeats(ctx.db);
      if (!sold) throw await refusalAfterRace(ctx, event.id, now);
      if (!paid) ctx.metrics.seatsSold.inc({ ticket: 'free' }, quantity);
      ctx.availability.invalidate(event.id);
      return view;
    } catch (error) {
      if (isUniqueViolation(error, 'registrations_one_active_key')) {
        throw problems.conflict('already_registered', 'You already have an active registration for this ticket type.');
      }
      const codeCollision =
        isUniqueViolation(error, 'registrations_code_key') || isUniqueViolation(error, 'tickets_code_key');
      if (!codeCollision || attempt >= codeAttempts) throw error;
    }
  }
}

function accountProblem(refusal: AccountRefusal, now: Date): Problem {
  if (refusal.reason === 'ticket_limit') {
    return problems.unprocessable(
      'quantity_out_of_range',
      `This event allows ${refusal.limit} tickets per account; you hold ${refusal.held} already.`,
      [{ path: 'body.quantity', message: `must be at most ${Math.max(0, refusal.limit - refusal.held)}` }],
    );
  }
  // Never below one second: a hold past its expiry may wait a moment for the sweeper.
  const retryAfterSeconds = Math.max(1, Math.ceil((refusal.retryAt.getTime() - now.getTime()) / 1000));
  const detail =
    refusal.reason === 'too_many_holds'
      ? 'You already hold the most unpaid registrations allowed for this event; pay or cancel one first.'
      : 'Several of your holds for this event expired unpaid; wait before holding seats again.';
  return new Problem(429, 'rate_limited', `${detail} Retry in ${retryAfterSeconds} s.`, undefined, {
    retryAfterSeconds,
  });
}

function soldOut() {
  return problems.conflict('sold_out', 'Not enough seats are left for this order.');
}

/** The seats were refused: say whether the event closed meanwhile or the seats ran out. */
async function refusalAfterRace(ctx: TicketingContext, eventId: string, now: Date) {
  const event = await ctx.events.find(eventId);
  if (event?.status !== 'published' || now >= event.startTime) {
    return problems.conflict('event_not_open', saleRefusalDetails.event_not_open);
  }
  return soldOut();
}
