import { type Principal, problems } from '@echoplex/http';
import { authorizeWrite } from '../domain/event-access';
import { assertSchedule, type EventPatch, eventColumnsOf } from '../domain/event-input';
import { isEditable } from '../domain/event-status';
import type { EventRow } from '../repositories/event.repository';
import { announceEvent } from './announce-event';
import type { EventsContext } from './events-context';

/**
 * PUT passes every field, PATCH some; both are judged on the merged event. Capacity may not drop
 * below the seats already held or confirmed: the event row is locked, and the seat count on it is
 * kept by the registration consumer under the same lock, so the check cannot race a new count.
 */
export async function updateEvent(
  ctx: EventsContext,
  writer: Principal,
  id: string,
  changes: EventPatch,
): Promise<EventRow> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const current = authorizeWrite(await ctx.events.findForUpdate(trx, id), writer);
    if (!isEditable(current.status)) throw problems.conflict('invalid_state', 'A cancelled event cannot be changed.');
    const defined = Object.fromEntries(
      Object.entries(eventColumnsOf(changes)).filter(([, value]) => value !== undefined),
    );
    const merged = { ...current, ...defined };
    assertSchedule(merged);
    if (merged.capacity < current.capacity && merged.capacity < current.seatsTaken) {
      throw problems.conflict(
        'capacity_exceeded',
        `${current.seatsTaken} seats are already taken; capacity cannot go below that.`,
        { seatsTaken: current.seatsTaken },
      );
    }
    const event = await ctx.events.update(trx, id, { ...defined, updatedAt: ctx.clock() });
    await announceEvent(ctx.outbox, trx, 'event.updated', event);
    return event;
  });
  ctx.eventChanged(id);
  return updated;
}
