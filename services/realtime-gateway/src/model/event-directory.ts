import type { EventDeleted, EventState } from '@echoplex/contracts';

export type EventStatus = EventState['status'];

export interface EventFacts {
  eventId: string;
  organizerId: string;
  name: string;
  status: EventStatus;
  startTime: string;
  endTime: string;
  capacity: number;
  city: string | null;
  categories: string[];
  /** How many lifecycle events were consumed for it: the same count, in the same order, on every instance. */
  revision: number;
}

export type EventChange =
  | { kind: 'status'; event: EventFacts }
  | { kind: 'updated'; event: EventFacts }
  | { kind: 'created'; event: EventFacts };

/**
 * Who owns each event and whether it is public, learned from `events.event.v1`, which every
 * instance replays from the beginning on start (the topic is ordered per event, so each instance
 * ends with the same facts). Events carry full state, so a repeated message changes nothing but the
 * revision.
 */
export class EventDirectory {
  private readonly events = new Map<string, EventFacts>();

  get(eventId: string): EventFacts | undefined {
    return this.events.get(eventId);
  }

  apply(type: string, data: EventState | EventDeleted): EventChange {
    const previous = this.events.get(data.eventId);
    const revision = (previous?.revision ?? 0) + 1;
    if (type === 'event.deleted' || !('status' in data)) {
      const event: EventFacts = previous
        ? { ...previous, status: 'deleted', revision }
        : {
            eventId: data.eventId,
            organizerId: data.organizerId,
            name: '',
            status: 'deleted',
            startTime: '',
            endTime: '',
            capacity: 0,
            city: null,
            categories: [],
            revision,
          };
      this.events.set(data.eventId, event);
      return { kind: 'status', event };
    }
    const event: EventFacts = {
      eventId: data.eventId,
      organizerId: data.organizerId,
      name: data.name,
      status: data.status,
      startTime: data.startTime,
      endTime: data.endTime,
      capacity: data.capacity,
      city: data.city ?? null,
      categories: data.categories,
      revision,
    };
    this.events.set(data.eventId, event);
    if (!previous) return { kind: 'created', event };
    if (previous.status !== event.status) return { kind: 'status', event };
    return { kind: 'updated', event };
  }
}
