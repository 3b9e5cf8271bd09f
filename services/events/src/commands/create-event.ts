import type { Principal } from '@echoplex/http';
import { v7 as uuidv7 } from 'uuid';
import { assertSchedule, type EventInput, eventColumnsOf } from '../domain/event-input';
import type { EventRow } from '../repositories/event.repository';
import { announceEvent } from './announce-event';
import type { EventsContext } from './events-context';

/** A new event starts as a draft, visible only to its organizer until published. */
export async function createEvent(ctx: EventsContext, organizer: Principal, input: EventInput): Promise<EventRow> {
  const columns = eventColumnsOf(input);
  assertSchedule(columns);
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const event = await ctx.events.insert(trx, {
      ...columns,
      id: uuidv7(),
      organizerId: organizer.userId,
      status: 'draft',
      imageKey: null,
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await announceEvent(ctx.outbox, trx, 'event.created', event);
    return event;
  });
}
