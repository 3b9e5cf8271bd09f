import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createAnalyticsService } from '@echoplex/analytics';
import { toKafkaHeaders } from '@echoplex/contracts';
import {
  createTestAuth,
  eventually,
  freePort,
  recordSpans,
  startServicesForTests,
  type TestServices,
} from '@echoplex/testkit';
import { createTicketingService } from '@echoplex/ticketing';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributedGateway } from '../src/distributed';

const exporter = recordSpans();

// The distributed topology in one test process, so one in-memory exporter sees every span: the
// gateway proxying over real HTTP to ticketing, ticketing's outbox relayed through the real Kafka
// broker, and analytics (a host of its own, its own database) consuming the registration.
// Real PostgreSQL, real Kafka, real HTTP; nothing faked.
describe('one trace from the browser request to another service consumer', () => {
  const analyticsGroup = `analytics-${randomUUID()}`;
  let ticketing: TestServices;
  let analytics: TestServices;
  let gateway: Awaited<ReturnType<typeof startDistributedGateway>>;
  let gatewayUrl: string;

  beforeAll(async () => {
    const auth = await createTestAuth();
    ticketing = await startServicesForTests([createTicketingService({ consumerGroup: `ticketing-${randomUUID()}` })], {
      bus: 'kafka',
      auth,
      env: { RATE_LIMITS: 'off' },
    });
    analytics = await startServicesForTests([createAnalyticsService({ consumerGroup: analyticsGroup })], {
      bus: 'kafka',
      auth,
    });
    await ticketing.app.listen({ host: '127.0.0.1', port: 0 });
    // Services this test does not run point at a closed port, never at a developer's running platform.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    gateway = await startDistributedGateway({
      ...process.env,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      WEB_DIST: '/nonexistent',
      IDENTITY_URL: nowhere,
      EVENTS_URL: nowhere,
      PAYMENTS_URL: nowhere,
      ANALYTICS_URL: nowhere,
      REALTIME_URL: nowhere,
      TICKETING_URL: `http://127.0.0.1:${(ticketing.app.server.address() as AddressInfo).port}`,
    });
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gateway?.close();
    await analytics?.close();
    await ticketing?.close();
  });

  it('joins gateway, ticketing, its queries, Kafka and the analytics consumer in one trace', async () => {
    const organizer = await auth().user('organizer');
    const attendee = await auth().user('attendee');
    const eventId = await announceEvent(organizer.userId);
    // Ticketing learns the event from the events topic; until then the event is unknown to it.
    const created = await eventually(
      () =>
        ticketing.app.inject({
          method: 'POST',
          url: `/api/events/${eventId}/tickets`,
          headers: organizer.headers,
          payload: { name: 'Free entry', price: 0, currency: 'eur', quantity: 10 },
        }),
      (response) => response.statusCode === 201,
      45_000,
    );
    expect(created.statusCode, created.body).toBe(201);
    exporter.reset();

    const response = await fetch(`${gatewayUrl}/api/registrations`, {
      method: 'POST',
      headers: { ...attendee.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId, ticketTypeId: created.json().id, quantity: 1 }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const traceId = response.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const consumed = await eventually(
      async () =>
        spansOf(traceId).find(
          (span) =>
            span.name === 'process registration.confirmed' &&
            span.attributes['messaging.consumer.group.name'] === analyticsGroup,
        ),
      Boolean,
      45_000,
    );
    expect(consumed?.attributes['messaging.system']).toBe('kafka');

    const spans = spansOf(traceId);
    const childOf = (parent: ReadableSpan | undefined, kind: SpanKind) =>
      spans.find((span) => span.kind === kind && span.parentSpanContext?.spanId === parent?.spanContext().spanId);
    // This test's fetch plays the browser: its client span starts the trace.
    const browser = spans.find((span) => span.kind === SpanKind.CLIENT && !span.parentSpanContext);
    const edge = childOf(browser, SpanKind.SERVER);
    expect(edge?.name).toBe('POST /api/registrations');
    const proxied = childOf(edge, SpanKind.CLIENT);
    expect(proxied?.attributes['http.request.method']).toBe('POST');
    const inTicketing = childOf(proxied, SpanKind.SERVER);
    expect(inTicketing?.name, 'ticketing continues the traceparent the proxy sent').toBe('POST /api/registrations');
    const ticketingQueries = spans.filter(
      (span) =>
        span.attributes['db.system.name'] === 'postgresql' &&
        span.parentSpanContext?.spanId === inTicketing?.spanContext().spanId,
    );
    expect(ticketingQueries.map((span) => span.attributes['db.query.text'])).toContainEqual(
      expect.stringMatching(/"registrations"/),
    );
    // Analytics consumes in batches: the batch's inbox insert and merged writes are shared by events
    // of many traces, so they are not children of this event's span; its handler works in memory.
  });

  const auth = () => ticketing.auth;

  /** What the events service would announce: a published event starting in a week. */
  async function announceEvent(organizerId: string): Promise<string> {
    const eventId = randomUUID();
    const start = Date.now() + 7 * 24 * 3_600_000;
    const data = {
      eventId,
      organizerId,
      name: 'Traced launch',
      status: 'published',
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 3 * 3_600_000).toISOString(),
      capacity: 100,
      city: null,
      categories: [],
    };
    await ticketing.transport.publish([
      {
        topic: 'events.event.v1',
        key: eventId,
        value: JSON.stringify(data),
        headers: toKafkaHeaders({
          id: randomUUID(),
          source: 'events',
          type: 'event.created',
          time: new Date().toISOString(),
          subject: eventId,
          data,
        }),
      },
    ]);
    return eventId;
  }

  function spansOf(traceId: string | null): ReadableSpan[] {
    return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  }
});
