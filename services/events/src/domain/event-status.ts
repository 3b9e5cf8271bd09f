export const eventStatuses = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof eventStatuses)[number];

export type EventTransition = 'publish' | 'unpublish' | 'cancel';

export interface TransitionSubject {
  status: EventStatus;
  endTime: Date;
  seatsTaken: number;
  publishedAt: Date | null;
}

/**
 * The lifecycle: draft ⇄ published → cancelled (terminal).
 * - publish: only a draft, and only while the event has not ended.
 * - unpublish: only a published event nobody holds seats for; with registrations, cancel instead,
 *   so attendees are released or refunded (ticketing does that on `event.cancelled`).
 * - cancel: a published event, or a draft that was public before (people may hold cancelled
 *   registrations or links to it). A draft that was never published is deleted, not cancelled.
 * Returns the reason the transition is refused, or the status it leads to.
 */
export function nextStatus(
  event: TransitionSubject,
  transition: EventTransition,
  now: Date,
): { to: EventStatus } | { refused: string } {
  switch (transition) {
    case 'publish':
      if (event.status !== 'draft') return { refused: `A ${event.status} event cannot be published.` };
      if (event.endTime <= now) return { refused: 'An event that has already ended cannot be published.' };
      return { to: 'published' };
    case 'unpublish':
      if (event.status !== 'published') return { refused: `A ${event.status} event cannot be unpublished.` };
      if (event.seatsTaken > 0) {
        return { refused: 'People hold seats for this event; cancel it instead of unpublishing it.' };
      }
      return { to: 'draft' };
    case 'cancel':
      if (event.status === 'cancelled') return { refused: 'The event is already cancelled.' };
      if (event.status === 'draft' && event.publishedAt === null) {
        return { refused: 'A draft that was never published is deleted, not cancelled.' };
      }
      return { to: 'cancelled' };
  }
}

/** Details (and the image) can change until the event is cancelled. */
export function isEditable(status: EventStatus): boolean {
  return status !== 'cancelled';
}

/** Only drafts nobody ever registered for disappear; anything else keeps its history. */
export function isDeletable(status: EventStatus, hasRegistrations: boolean): boolean {
  return status === 'draft' && !hasRegistrations;
}
