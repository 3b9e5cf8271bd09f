import { type Principal, problems } from '@echoplex/http';
import { authorizeWrite } from '../domain/event-access';
import { type EventTransition, nextStatus } from '../domain/event-status';
import type { EventRow } from '../repositories/event.repository';
import { announceEvent, type EventChange } from './announce-event';
import type { EventsContext } from './events-context';

const announcements: Record<EventTransition, EventChange> = {
  publish: 'event.published',
  unpublish: 'event.unpublished',
  cancel: 'event.cancelled',
};

/**
 * Publish, unpublish or cancel. Cancelling only announces `event.cancelled`: releasing holds and
 * refunding registrations is ticketing's and payments' work when they consume it.
 */
export async function changeEventStatus(
  ctx: EventsContext,
  writer: Principal,
  id: string,
  transition: EventTransition,
): Promise<EventRow> {
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const current = authorizeWrite(await ctx.events.findForUpdate(trx, id), writer);
    const now = ctx.clock();
    const outcome = nextStatus(current, transition, now);
    if ('refused' in outcome) throw problems.conflict('invalid_state', outcome.refused, { status: current.status });
    const event = await ctx.events.update(trx, id, {
      status: outcome.to,
      updatedAt: now,
      ...(transition === 'publish' ? { publishedAt: now } : {}),
    });
    await announceEvent(ctx.outbox, trx, announcements[transition], event);
    return event;
  });
  ctx.eventChanged(id);
  return changed;
}
