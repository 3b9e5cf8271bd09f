import { randomUUID } from 'node:crypto';
import { busTablesMigration, type Subscription, startConsumer } from '@echoplex/bus';
import { eventually, metricValue, recordSpans, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../src/service';

const exporter = recordSpans();

// Two services in one host on the real Kafka broker: one writes an event through its outbox in a
// request, the other consumes it. Real PostgreSQL, real Kafka, real spans in memory.
/** The trace each handled event's handler ran in, by the page view's event id. */
const handled = new Map<string, string | undefined>();
const producer: ServiceDefinition = {
  name: 'trace-producer',
  schema: 'trace_producer',
  migrations: { '0000_bus': busTablesMigration },
  routes: ['/api/things'],
  async plugin(app, ctx) {
    app.post('/api/things', async (_request, reply) => {
      const eventId = randomUUID();
      await ctx.db.transaction().execute((trx) =>
        ctx.outbox.append(trx, {
          topic: 'identity.user.v1',
          type: 'user.updated',
          key: eventId,
          data: { userId: eventId, firstName: 'Trace', lastName: 'Test', role: 'attendee' },
        }),
      );
      return reply.status(201).send({ eventId });
    });
  },
};
let consumer: Subscription | undefined;
const consumerGroup = `trace-consumer-${randomUUID()}`;
const receiver: ServiceDefinition = {
  name: 'trace-consumer',
  schema: 'trace_consumer',
  migrations: { '0000_bus': busTablesMigration },
  routes: [],
  async plugin(app, ctx) {
    app.addHook('onReady', async () => {
      consumer = await startConsumer({
        transport: ctx.transport,
        kysely: ctx.db,
        group: consumerGroup,
        handlers: {
          // A topic the other suites barely use, so this consumer has no one else's backlog to read.
          'identity.user.v1': {
            'user.updated': async (event) => {
              handled.set(event.data.userId, trace.getActiveSpan()?.spanContext().traceId);
            },
          },
        },
      });
    });
    app.addHook('onClose', async () => consumer?.stop());
  },
};

describe('one trace across the bus', () => {
  let services: TestServices;
  beforeAll(async () => {
    services = await startServicesForTests([producer, receiver], { bus: 'kafka' });
  });
  afterAll(() => services?.close());

  it('continues the request trace in the consumer of another service across Kafka', async () => {
    const response = await services.app.inject({ method: 'POST', url: '/api/things' });
    expect(response.statusCode).toBe(201);
    const { eventId } = response.json();
    const handlerTrace = await eventually(async () => handled.get(eventId), Boolean, 45_000);
    const server = exporter.getFinishedSpans().find((span) => span.name === 'POST /api/things');
    expect(server).toBeDefined();
    expect(handlerTrace).toBe(server?.spanContext().traceId);
    expect(response.headers['x-trace-id']).toBe(server?.spanContext().traceId);
    // The consumer's own span, in the same trace, ends once its transaction has committed.
    const consumed = await eventually(
      async () =>
        exporter
          .getFinishedSpans()
          .find((span) => span.name === 'process user.updated' && span.spanContext().traceId === handlerTrace),
      Boolean,
    );
    expect(consumed?.parentSpanContext?.spanId).toBeTruthy();
  });

  it('shows each partition of the consumer group with its lag on /metrics, down to 0 once handled', async () => {
    const response = await services.app.inject({ method: 'POST', url: '/api/things' });
    const { eventId } = response.json();
    await eventually(async () => handled.has(eventId), Boolean, 45_000);
    const lagLines = (body: string) =>
      body.split('\n').filter((line) => line.startsWith('bus_consumer_lag_messages{') && line.includes(consumerGroup));
    const metrics = await services.app.inject({ method: 'GET', url: '/metrics' });
    expect(lagLines(metrics.body).length, metrics.body).toBe(3);
    expect(lagLines(metrics.body).every((line) => line.includes('topic="identity.user.v1"'))).toBe(true);
    // Offsets are committed after the batch is handled, so the lag settles at zero.
    const lag = await eventually(
      () => metricValue(services.app, 'bus_consumer_lag_messages', { group: consumerGroup }),
      (value) => value === 0,
    );
    expect(lag).toBe(0);
  });
});
