import { randomUUID } from 'node:crypto';
import type { OutgoingMessage, Transport } from '@echoplex/bus';
import { type PageViewRecorded, type PageViewsRecorded, toKafkaHeaders } from '@echoplex/contracts';
import type { Logger } from '@echoplex/telemetry';
import { Counter, type Registry } from 'prom-client';

export interface PageViewPublisherOptions {
  transport: Transport;
  log: Logger;
  registry: Registry;
  clock: () => Date;
  /** Views are flushed after waiting this long, or at once when `maxBuffered / 10` are waiting. */
  lingerMs?: number;
  /** Views held while the broker is slow or down; beyond it the route answers 503 instead of growing memory. */
  maxBuffered?: number;
  /** Views per message (the contract allows up to 1,000). */
  maxViewsPerMessage?: number;
}

/**
 * Page views are produced straight to Kafka in batches, not through the outbox. The outbox exists
 * to make a database change and its announcement commit together; a page view changes nothing in
 * our database, so an outbox row would only add a durable write and a relay hop per view to the
 * hottest public endpoint (the transaction alone would cap it far below the HTTP layer). Views of
 * one event buffered together go out as one `page_views.recorded` message: producing and
 * consuming cost per message, not per view. The trade-off is stated: views buffered in memory (at
 * most `lingerMs` worth) are lost if the process dies, and a batch that still fails after retries
 * is dropped and counted in `analytics_page_views_dropped_total` — acceptable for a statistic,
 * never for money or seats.
 */
export class PageViewPublisher {
  private buffer: PageViewRecorded[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly dropped: Counter;
  private readonly lingerMs: number;
  private readonly maxBuffered: number;
  private readonly maxViewsPerMessage: number;

  constructor(private readonly options: PageViewPublisherOptions) {
    this.lingerMs = options.lingerMs ?? 20;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.maxViewsPerMessage = options.maxViewsPerMessage ?? 500;
    this.dropped = new Counter({
      name: 'analytics_page_views_dropped_total',
      help: 'Page views that could not be published to the bus',
      registers: [options.registry],
    });
  }

  /** False when the buffer is full (the broker is not keeping up): the caller sheds the request. */
  record(view: PageViewRecorded): boolean {
    if (this.buffer.length >= this.maxBuffered) return false;
    this.buffer.push(view);
    if (this.buffer.length >= this.maxBuffered / 10) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    return true;
  }

  /** Publishes everything buffered so far; one publish in flight at a time. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const views = this.buffer.splice(0, this.buffer.length);
    this.flushing = this.publish(this.messagesOf(views), views.length).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private messagesOf(views: PageViewRecorded[]): OutgoingMessage[] {
    const byEvent = new Map<string, PageViewsRecorded['views']>();
    for (const { eventId, sessionId, referrer, occurredAt } of views) {
      const list = byEvent.get(eventId) ?? [];
      list.push({ sessionId, referrer, occurredAt });
      byEvent.set(eventId, list);
    }
    const time = this.options.clock().toISOString();
    const messages: OutgoingMessage[] = [];
    for (const [eventId, list] of byEvent) {
      for (let start = 0; start < list.length; start += this.maxViewsPerMessage) {
        // Not parsed again against the contract: each view passed the route's schema, which holds
        // its fields to the contract's limits, and the type holds the shape.
        const data: PageViewsRecorded = { eventId, views: list.slice(start, start + this.maxViewsPerMessage) };
        messages.push({
          topic: 'analytics.page-view.v1',
          key: eventId,
          value: JSON.stringify(data),
          headers: toKafkaHeaders({
            id: randomUUID(),
            source: 'analytics',
            type: 'page_views.recorded',
            time,
            subject: eventId,
            data,
          }),
        });
      }
    }
    return messages;
  }

  private async publish(messages: OutgoingMessage[], views: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.transport.publish(messages);
        return;
      } catch (error) {
        if (attempt >= 3) {
          this.dropped.inc(views);
          this.options.log.error({ err: error, views }, 'page views dropped');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
