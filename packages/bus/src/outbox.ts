import { randomUUID } from 'node:crypto';
import { type EventData, type EventType, parseEventData, type TopicName } from '@echoplex/contracts';
import { context, propagation } from '@opentelemetry/api';
import { sql, type Transaction } from 'kysely';
import type { BusTables } from './tables';

export interface DomainEvent<T extends TopicName, E extends EventType<T>> {
  topic: T;
  type: E;
  /** The aggregate id: the Kafka key, which orders every event of one aggregate. */
  key: string;
  /** The aggregate the event is about (`ce_subject`); defaults to the key. */
  subject?: string;
  data: EventData<T, E>;
}

export function notifyChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * Writes domain events into the service's outbox in the caller's transaction, so the event exists
 * exactly when the state change it announces does. Taking a `Transaction` makes calling it outside
 * one a type error.
 */
export class Outbox {
  constructor(
    private readonly schema: string,
    private readonly source: string,
  ) {}

  async append<T extends TopicName, E extends EventType<T>>(
    trx: Transaction<any>,
    ...events: DomainEvent<T, E>[]
  ): Promise<void> {
    if (events.length === 0) return;
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    const rows = events.map((event) => ({
      id: randomUUID(),
      aggregatetype: event.topic,
      aggregateid: event.key,
      type: event.type,
      // Validating here turns a malformed event into the caller's error, not a poison message later.
      payload: JSON.stringify(parseEventData(event.topic, event.type, event.data)),
      headers: JSON.stringify({
        ...headers,
        ce_source: this.source,
        ce_subject: event.subject ?? event.key,
        ce_time: new Date().toISOString(),
      }),
    }));
    const db = trx as unknown as Transaction<BusTables>;
    await db.insertInto('outbox').values(rows).execute();
    // Delivered on commit only, so the relay wakes exactly when there is something to publish.
    await sql`select pg_notify(${notifyChannel(this.schema)}, '')`.execute(db);
  }
}
