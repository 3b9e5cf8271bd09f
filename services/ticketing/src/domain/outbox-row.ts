import { parseEventData } from '@echoplex/contracts';
import { context, propagation } from '@opentelemetry/api';
import type { TicketingEvent } from './domain-events';

export const serviceName = 'ticketing';

/** An outbox row exactly as `Outbox.append` writes it, for statements that insert it themselves. */
export interface OutboxRow {
  id: string;
  aggregatetype: string;
  aggregateid: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
}

/** Trace context, source and time of an event, as `Outbox.append` records them. */
export function outboxHeaders(subject?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return {
    ...headers,
    ce_source: serviceName,
    ...(subject ? { ce_subject: subject } : {}),
    ce_time: new Date().toISOString(),
  };
}

export function outboxRow(event: TicketingEvent): OutboxRow {
  return {
    id: crypto.randomUUID(),
    aggregatetype: event.topic,
    aggregateid: event.key,
    type: event.type,
    // Validated like Outbox.append does: a malformed event is the caller's error, never a poison message.
    payload: parseEventData(event.topic, event.type as never, event.data),
    headers: outboxHeaders(event.subject ?? event.key),
  };
}
