import { randomUUID } from 'node:crypto';
import type { Transport } from '@echoplex/bus';
import { type EventState, type TopicName, toKafkaHeaders } from '@echoplex/contracts';

/** Publishes a CloudEvent on the real transport, as another service's outbox relay would. */
export async function publishEvent(
  transport: Transport,
  topic: TopicName,
  type: string,
  key: string,
  data: object,
  time = new Date(),
): Promise<void> {
  await transport.publish([message(topic, type, key, data, time)]);
}

export function message(topic: TopicName, type: string, key: string, data: object, time = new Date()) {
  return {
    topic,
    key,
    value: JSON.stringify(data),
    headers: toKafkaHeaders({ id: randomUUID(), source: 'test', type, time: time.toISOString(), subject: key, data }),
  };
}

export function eventState(overrides: Partial<EventState> & { organizerId: string }): EventState {
  return {
    eventId: randomUUID(),
    name: 'Sale day',
    status: 'published',
    startTime: '2030-03-01T18:00:00.000Z',
    endTime: '2030-03-01T23:00:00.000Z',
    capacity: 1000,
    city: 'Lyon',
    categories: ['music'],
    ...overrides,
  };
}

/** An event that is published, with one ticket type on sale. */
export async function publishedEventWithTickets(
  transport: Transport,
  organizerId: string,
  ticketTypes = 1,
  available = 100,
): Promise<{ eventId: string; ticketTypeIds: string[] }> {
  const event = eventState({ organizerId });
  const ticketTypeIds = Array.from({ length: ticketTypes }, () => randomUUID());
  await transport.publish([
    message('events.event.v1', 'event.created', event.eventId, { ...event, status: 'draft' }),
    message('events.event.v1', 'event.published', event.eventId, event),
    ...ticketTypeIds.map((ticketTypeId) =>
      message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
        eventId: event.eventId,
        ticketTypeId,
        available,
        quantity: available,
        version: 1,
      }),
    ),
  ]);
  return { eventId: event.eventId, ticketTypeIds };
}
