import { randomUUID } from 'node:crypto';
import type { OutgoingMessage, Transport } from '@echoplex/bus';
import { type EventData, type EventType, parseEventData, type TopicName, toKafkaHeaders } from '@echoplex/contracts';

/** A CloudEvent as another service's relay would publish it; keeping the id lets a test redeliver it. */
export interface PublishedEvent {
  topic: TopicName;
  type: string;
  key: string;
  id: string;
  time: string;
  data: Record<string, unknown>;
}

export function domainEvent<T extends TopicName, E extends EventType<T>>(
  topic: T,
  type: E,
  key: string,
  data: EventData<T, E>,
  time: string,
): PublishedEvent {
  // Validated like the outbox does, so the scenario cannot drift from the contracts.
  parseEventData(topic, type, data);
  return { topic, type, key, id: randomUUID(), time, data: data as Record<string, unknown> };
}

export function toMessage(event: PublishedEvent): OutgoingMessage {
  return {
    topic: event.topic,
    key: event.key,
    value: JSON.stringify(event.data),
    headers: toKafkaHeaders({
      id: event.id,
      source: 'analytics-test',
      type: event.type,
      time: event.time,
      subject: event.key,
      data: event.data,
    }),
  };
}

export async function publishEvents(transport: Transport, events: PublishedEvent[]): Promise<void> {
  await transport.publish(events.map(toMessage));
}
