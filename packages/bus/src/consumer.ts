import {
  type CloudEvent,
  type EventData,
  type EventType,
  fromKafkaMessage,
  parseEventData,
  type TopicName,
} from '@echoplex/contracts';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { Kysely, Transaction } from 'kysely';
import type { BusTables } from './tables';
import { deadLetterTopic, type IncomingMessage, type Subscription, type Transport } from './transport';

export type EventHandler<T extends TopicName, E extends EventType<T>> = (
  event: CloudEvent<EventData<T, E>>,
  trx: Transaction<any>,
) => Promise<void>;

export type TopicHandlers<T extends TopicName> = { [E in EventType<T>]?: EventHandler<T, E> };

export type Handlers = { [T in TopicName]?: TopicHandlers<T> };

export interface ConsumerOptions {
  transport: Transport;
  kysely: Kysely<any>;
  /** The consumer's name: its Kafka group and its key in the inbox. */
  group: string;
  handlers: Handlers;
  fromBeginning?: boolean;
  maxAttempts?: number;
  retryDelayMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onProcessed?(event: CloudEvent, outcome: 'handled' | 'duplicate' | 'dead-lettered'): void;
}

class PoisonMessage extends Error {}

const tracer = trace.getTracer('@echoplex/bus');

/**
 * Runs each event's handler at most once: the event id goes into the inbox in the same transaction
 * as the handler's effect, so a redelivered event finds its id and changes nothing. A message that
 * cannot be parsed, or whose handler keeps failing, is parked on the dead-letter topic so the
 * partition moves on.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Subscription> {
  const db = options.kysely as Kysely<BusTables>;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 100;

  const process = async (message: IncomingMessage): Promise<void> => {
    let event: CloudEvent;
    let handler: EventHandler<TopicName, never> | undefined;
    try {
      event = fromKafkaMessage(message.headers, message.value);
      const topicHandlers = options.handlers[message.topic as TopicName] as
        | Record<string, EventHandler<TopicName, never>>
        | undefined;
      handler = topicHandlers?.[event.type];
      if (!handler) return;
      event.data = parseEventData(message.topic as TopicName, event.type as never, event.data);
    } catch (error) {
      await deadLetter(message, error, 1);
      return;
    }

    const parent = propagation.extract(context.active(), { traceparent: event.traceparent });
    const span = tracer.startSpan(
      `process ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': options.transport.kind === 'kafka' ? 'kafka' : 'in-process',
          'messaging.destination.name': message.topic,
          'messaging.consumer.group.name': options.group,
          'messaging.message.id': event.id,
        },
      },
      parent,
    );
    try {
      await handleWithRetries(message, event, handler as EventHandler<TopicName, never>, trace.setSpan(parent, span));
    } finally {
      span.end();
    }
  };

  const handleWithRetries = async (
    message: IncomingMessage,
    event: CloudEvent,
    handler: EventHandler<TopicName, never>,
    active: ReturnType<typeof context.active>,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await context.with(active, () =>
          db.transaction().execute(async (trx) => {
            const inserted = await trx
              .insertInto('inbox')
              .values({ consumer: options.group, eventId: event.id })
              .onConflict((oc) => oc.doNothing())
              .returning('eventId')
              .executeTakeFirst();
            if (!inserted) return 'duplicate' as const;
            await handler(event as never, trx);
            return 'handled' as const;
          }),
        );
        options.onProcessed?.(event, outcome);
        return;
      } catch (error) {
        if (error instanceof PoisonMessage || attempt >= maxAttempts) {
          await deadLetter(message, error, attempt);
          options.onProcessed?.(event, 'dead-lettered');
          return;
        }
        options.log?.warn({ err: error, eventId: event.id, attempt }, 'event handler failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  };

  const deadLetter = async (message: IncomingMessage, error: unknown, attempts: number) => {
    options.log?.error(
      { err: error, topic: message.topic, key: message.key, offset: message.offset, attempts },
      'message dead-lettered',
    );
    await options.transport.publish([
      {
        topic: deadLetterTopic(message.topic),
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          dlq_consumer: options.group,
          dlq_error: String((error as Error)?.message ?? error).slice(0, 500),
          dlq_attempts: String(attempts),
          dlq_original_offset: `${message.partition}:${message.offset}`,
        },
      },
    ]);
  };

  return options.transport.subscribe({
    group: options.group,
    topics: Object.keys(options.handlers),
    // A new group must not skip what was published before it first fetched: it starts at the
    // beginning, and the inbox makes re-reading harmless. Groups with committed offsets resume there.
    fromBeginning: options.fromBeginning ?? true,
    handle: process,
  });
}

/** Throw from a handler for input that can never succeed: it is dead-lettered without retries. */
export function poison(reason: string): never {
  throw new PoisonMessage(reason);
}
