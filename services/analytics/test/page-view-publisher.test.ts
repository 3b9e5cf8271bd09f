import { randomUUID } from 'node:crypto';
import { createInProcessTransport, type IncomingMessage } from '@echoplex/bus';
import { fromKafkaMessage, parseEventData } from '@echoplex/contracts';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { describe, expect, it } from 'vitest';
import { PageViewPublisher } from '../src/commands/page-view-publisher';

// Real: the in-process bus of embedded mode carries the messages; nothing is faked.
describe('publishing page views in batches', () => {
  it('sends the views of each event together, at most maxViewsPerMessage per message, each view once', async () => {
    const transport = createInProcessTransport();
    const received: IncomingMessage[] = [];
    await transport.subscribe({
      group: 'collector',
      topics: ['analytics.page-view.v1'],
      handle: async (message) => {
        received.push(message);
      },
    });
    const publisher = new PageViewPublisher({
      transport,
      log: createLogger({ service: 'test', level: 'silent' }),
      registry: createMetricsRegistry(),
      clock: () => new Date('2027-03-01T10:00:00.000Z'),
      maxViewsPerMessage: 4,
    });
    const popular = randomUUID();
    const quiet = randomUUID();
    for (let i = 0; i < 10; i++) {
      const occurredAt = new Date(Date.UTC(2027, 2, 1, 10, 0, i)).toISOString();
      expect(publisher.record({ eventId: popular, sessionId: `s${i % 3}`, referrer: null, occurredAt })).toBe(true);
    }
    publisher.record({
      eventId: quiet,
      sessionId: null,
      referrer: 'https://example.org',
      occurredAt: new Date().toISOString(),
    });
    await publisher.close();

    const events = received.map((message) => fromKafkaMessage(message.headers, message.value));
    expect(events.map((event) => event.type)).toEqual(Array(4).fill('page_views.recorded'));
    // Order holds per key (the event), as on Kafka; not across events.
    const batchesOf = (eventId: string) =>
      events
        .filter((event) => event.subject === eventId)
        .map((event) => parseEventData('analytics.page-view.v1', 'page_views.recorded', event.data));
    expect(batchesOf(popular).map((batch) => batch.views.length)).toEqual([4, 4, 2]);
    expect(batchesOf(popular).flatMap((batch) => batch.views.map((view) => view.sessionId))).toEqual(
      Array.from({ length: 10 }, (_, i) => `s${i % 3}`),
    );
    expect(batchesOf(quiet).flatMap((batch) => batch.views)).toEqual([
      expect.objectContaining({ sessionId: null, referrer: 'https://example.org' }),
    ]);
    expect(received.every((message, i) => message.key === events[i]?.subject)).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
  });
});
