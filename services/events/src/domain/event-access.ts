import { type Principal, problems } from '@echoplex/http';
import type { EventStatus } from './event-status';

interface Owned {
  organizerId: string;
  status: EventStatus;
}

/** Published and cancelled events are public; a draft exists only for its organizer. */
export function canView(event: Owned, viewer: Principal | null): boolean {
  return event.status !== 'draft' || viewer?.userId === event.organizerId;
}

/**
 * Only the organizer changes an event. Someone else's draft is reported missing (its existence is
 * private); someone else's public event is forbidden. The caller has already required the organizer role.
 */
export function authorizeWrite<T extends Owned>(event: T | undefined, writer: Principal): T {
  if (!event || !canView(event, writer)) throw problems.notFound('The event');
  if (event.organizerId !== writer.userId) throw problems.forbidden('Only the organizer of this event can change it.');
  return event;
}
