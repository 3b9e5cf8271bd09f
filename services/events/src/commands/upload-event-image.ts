import { type Principal, problems } from '@echoplex/http';
import { v7 as uuidv7 } from 'uuid';
import { authorizeWrite } from '../domain/event-access';
import { isEditable } from '../domain/event-status';
import { makeWebRendition } from '../images/image-rendition';
import type { EventRow } from '../repositories/event.repository';
import { announceEvent } from './announce-event';
import { discardImage } from './delete-event';
import type { EventsContext } from './events-context';

/**
 * Stores a web rendition under a fresh key and points the event at it. Each upload gets a new URL,
 * so images can be cached forever; the previous file is removed once the new one is committed.
 * Authorization is checked before the upload is read, and again under the row lock.
 */
export async function uploadEventImage(
  ctx: EventsContext,
  writer: Principal,
  id: string,
  readUpload: () => Promise<Buffer>,
): Promise<EventRow> {
  assertEditable(authorizeWrite(await ctx.events.findById(id), writer));
  const rendition = await makeWebRendition(await readUpload(), ctx.maxImagePixels);
  const key = imageKeyFor(id, uuidv7());
  await ctx.images.put(key, rendition);

  let committed: { event: EventRow; previousKey: string | null };
  try {
    committed = await ctx.db.transaction().execute(async (trx) => {
      const current = assertEditable(authorizeWrite(await ctx.events.findForUpdate(trx, id), writer));
      const event = await ctx.events.update(trx, id, { imageKey: key, updatedAt: ctx.clock() });
      await announceEvent(ctx.outbox, trx, 'event.updated', event);
      return { event, previousKey: current.imageKey };
    });
  } catch (error) {
    await discardImage(ctx, key);
    throw error;
  }
  ctx.eventChanged(id);
  if (committed.previousKey) await discardImage(ctx, committed.previousKey);
  return committed.event;
}

function assertEditable(event: EventRow): EventRow {
  if (!isEditable(event.status)) {
    throw problems.conflict('invalid_state', 'A cancelled event cannot be changed.');
  }
  return event;
}

export function imageKeyFor(eventId: string, imageId: string): string {
  return `${eventId}/${imageId}.webp`;
}
