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

export type Outcome = 'handled' | 'duplicate' | 'dead-lettered';

export interface ConsumerOptions {
  transport: Transport;
  kysely: Kysely<any>;
  /** The consumer's name: its Kafka group and its key in the inbox. */
  group: string;
  handlers: Handlers;
  fromBeginning?: boolean;
  maxAttempts?: number;
  retryDelayMs?: number;
  /**
   * Handle fetched messages in batches of up to `maxEvents`, one transaction per batch, instead of
   * one transaction per message. The commit (a durable WAL flush) is what a message costs; a batch
   * shares it. A batch whose transaction fails is handled again message by message, so a poison
   * message is retried and dead-lettered alone.
   */
  batch?: { maxEvents: number };
  /**
   * Runs in every transaction before its handlers, with the events they are about to apply (new
   * ones only, in order; a single event when messages are handled one by one): where everything the
   * handlers will need is read and locked in one statement instead of one per event.
   */
  beforeBatch?(events: CloudEvent[], trx: Transaction<any>): Promise<void>;
  /**
   * Runs in every transaction after its handlers, before the commit: where writes the handlers
   * deferred (such as counter deltas merged across a batch) are made.
   */
  beforeCommit?(trx: Transaction<any>): Promise<void>;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onProcessed?(event: CloudEvent, outcome: Outcome): void;
}

class PoisonMessage extends Error {}

/** A parsed message with the handler it goes to. */
interface Delivery {
  message: IncomingMessage;
  event: CloudEvent;
  handler: EventHandler<TopicName, never>;
}

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

  /** The message's delivery, or nothing when no handler wants it or it cannot be parsed (then it is dead-lettered). */
  const prepare = async (message: IncomingMessage): Promise<Delivery | undefined> => {
    try {
      const event = fromKafkaMessage(message.headers, message.value);
      const topicHandlers = options.handlers[message.topic as TopicName] as
        | Record<string, EventHandler<TopicName, never>>
        | undefined;
      const handler = topicHandlers?.[event.type];
      if (!handler) return undefined;
      event.data = parseEventData(message.topic as TopicName, event.type as never, event.data);
      return { message, event, handler };
    } catch (error) {
      await deadLetter(message, error, 1);
      return undefined;
    }
  };

  /** Runs `work` in a consumer span that continues the trace the event was published in. */
  const traced = async <T>(delivery: Delivery, work: () => Promise<T>): Promise<T> => {
    const parent = propagation.extract(context.active(), { traceparent: delivery.event.traceparent });
    const span = tracer.startSpan(
      `process ${delivery.event.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': options.transport.kind === 'kafka' ? 'kafka' : 'in-process',
          'messaging.destination.name': delivery.message.topic,
          'messaging.consumer.group.name': options.group,
          'messaging.message.id': delivery.event.id,
        },
      },
      parent,
    );
    try {
      return await context.with(trace.setSpan(parent, span), work);
    } finally {
      span.end();
    }
  };

  const processMessage = async (message: IncomingMessage): Promise<void> => {
    const delivery = await prepare(message);
    if (delivery) await traced(delivery, () => handleWithRetries(delivery));
  };

  const handleWithRetries = async ({ message, event, handler }: Delivery): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('inbox')
            .values({ consumer: options.group, eventId: event.id })
            .onConflict((oc) => oc.doNothing())
            .returning('eventId')
            .executeTakeFirst();
          if (!inserted) return 'duplicate' as const;
          await options.beforeBatch?.([event], trx);
          await handler(event as never, trx);
          await options.beforeCommit?.(trx);
          return 'handled' as const;
        });
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

  /**
   * One transaction for the whole batch: one inbox insert drops the events already applied, the
   * handlers of the new ones run in order. If anything fails, nothing of the batch is committed and
   * every event goes through the one-by-one path with its retries and dead-lettering.
   */
  const processBatch = async (messages: IncomingMessage[]): Promise<void> => {
    const deliveries: Delivery[] = [];
    for (const message of messages) {
      const delivery = await prepare(message);
      if (delivery) deliveries.push(delivery);
    }
    if (deliveries.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('inbox')
          .values(deliveries.map(({ event }) => ({ consumer: options.group, eventId: event.id })))
          .onConflict((oc) => oc.doNothing())
          .returning('eventId')
          .execute();
        const fresh = new Set(inserted.map((row) => row.eventId));
        // An event id twice in one batch is applied the first time only.
        const applied: Outcome[] = deliveries.map(({ event }) => (fresh.delete(event.id) ? 'handled' : 'duplicate'));
        const toApply = deliveries.filter((_, index) => applied[index] === 'handled');
        if (toApply.length > 0)
          await options.beforeBatch?.(
            toApply.map(({ event }) => event),
            trx,
          );
        for (const delivery of toApply) {
          await traced(delivery, () => delivery.handler(delivery.event as never, trx));
        }
        await options.beforeCommit?.(trx);
        return applied;
      });
    } catch (error) {
      options.log?.warn(
        { err: error, events: deliveries.length },
        'event batch failed, handling its events one by one',
      );
      for (const delivery of deliveries) await traced(delivery, () => handleWithRetries(delivery));
      return;
    }
    for (const [index, delivery] of deliveries.entries())
      options.onProcessed?.(delivery.event, outcomes[index] as Outcome);
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

  const target = {
    group: options.group,
    topics: Object.keys(options.handlers),
    // A new group must not skip what was published before it first fetched: it starts at the
    // beginning, and the inbox makes re-reading harmless. Groups with committed offsets resume there.
    fromBeginning: options.fromBeginning ?? true,
  };
  return options.transport.subscribe(
    options.batch
      ? { ...target, handleBatch: processBatch, maxBatch: options.batch.maxEvents }
      : { ...target, handle: processMessage },
  );
}

/** Throw from a handler for input that can never succeed: it is dead-lettered without retries. */
export function poison(reason: string): never {
  throw new PoisonMessage(reason);
}
