import { type Principal, problems } from '@echoplex/http';
import { authorizeWrite } from '../domain/event-access';
import { isDeletable } from '../domain/event-status';
import type { EventsContext } from './events-context';

/** Drafts nobody ever registered for are deleted; everything else is cancelled instead. */
export async function deleteEvent(ctx: EventsContext, writer: Principal, id: string): Promise<void> {
  const imageKey = await ctx.db.transaction().execute(async (trx) => {
    const event = authorizeWrite(await ctx.events.findForUpdate(trx, id), writer);
    const hasRegistrations = await ctx.registrationSeats.hasAny(trx, id);
    if (!isDeletable(event.status, hasRegistrations)) {
      throw problems.conflict(
        'invalid_state',
        hasRegistrations
          ? 'The event has registrations; cancel it instead.'
          : `A ${event.status} event cannot be deleted; only drafts can.`,
        { status: event.status },
      );
    }
    await ctx.events.delete(trx, id);
    await ctx.outbox.append(trx, {
      topic: 'events.event.v1',
      type: 'event.deleted',
      key: id,
      data: { eventId: id, organizerId: event.organizerId },
    });
    return event.imageKey;
  });
  ctx.eventChanged(id);
  if (imageKey) await discardImage(ctx, imageKey);
}

/** After the commit: a file left behind by a failure here is garbage, never a broken reference. */
export async function discardImage(ctx: EventsContext, key: string): Promise<void> {
  try {
    await ctx.images.delete(key);
  } catch (error) {
    ctx.log.warn({ err: error, key }, 'could not delete an event image');
  }
}
