import { type Principal, problems } from '@echoplex/http';
import type { EventRow } from '../repositories/event.repository';
import type { TicketingContext } from '../ticketing-context';

/** Drafts are private to their organizer; published and cancelled events are public. */
export async function eventVisibleTo(
  ctx: TicketingContext,
  principal: Principal | null,
  eventId: string,
): Promise<EventRow> {
  const event = await ctx.events.find(eventId);
  if (!event || event.status === 'deleted') throw problems.notFound('The event');
  if (event.status === 'draft' && event.organizerId !== principal?.userId) throw problems.notFound('The event');
  return event;
}

/** For writes and private lists: another organizer's public event is forbidden, a draft is not found. */
export async function eventOwnedBy(ctx: TicketingContext, principal: Principal, eventId: string): Promise<EventRow> {
  const event = await eventVisibleTo(ctx, principal, eventId);
  if (event.organizerId !== principal.userId) throw problems.forbidden("Only the event's organizer can do this.");
  return event;
}
