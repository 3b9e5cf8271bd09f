import type { IncomingMessage, Transport } from '@echoplex/bus';
import { FastHistogram } from '@echoplex/telemetry';
import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Wraps the host's transport so every service's consumers are measured without each one wiring
 * metrics: messages handled or failed per topic and group, the time from the event's commit
 * (its CloudEvent time) to the end of its handling, and (on Kafka) each group's lag in messages.
 */
export function instrumentTransport(transport: Transport, registry: Registry): Transport {
  const published = new Counter({
    name: 'bus_published_messages_total',
    help: 'Messages accepted by the bus',
    labelNames: ['topic'],
    registers: [registry],
  });
  const handled = new Counter({
    name: 'bus_consumed_messages_total',
    help: 'Messages handled by consumers, by outcome',
    labelNames: ['topic', 'group', 'outcome'],
    registers: [registry],
  });
  // Observed for every message consumed: FastHistogram, as the per-request duration histogram.
  const lag = new FastHistogram({
    name: 'bus_consume_lag_seconds',
    help: 'Time from the event (ce_time) to the end of its handling',
    labelNames: ['topic', 'group'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const readLag = transport.consumerLag?.bind(transport);
  new Gauge({
    name: 'bus_consumer_lag_messages',
    help: 'Messages per partition not yet committed by the consumer group (Kafka; read from the broker on scrape)',
    labelNames: ['topic', 'partition', 'group'],
    registers: [registry],
    async collect() {
      this.reset();
      // An unreachable broker leaves the gauge empty rather than failing the whole scrape.
      const lags = (await readLag?.().catch(() => undefined)) ?? [];
      for (const { topic, partition, group, lag } of lags)
        this.set({ topic, partition: String(partition), group }, lag);
    },
  });
  return {
    kind: transport.kind,
    ping: () => transport.ping(),
    close: () => transport.close(),
    ...(readLag ? { consumerLag: readLag } : {}),
    async publish(messages) {
      await transport.publish(messages);
      for (const message of messages) published.inc({ topic: message.topic });
    },
    subscribe(options) {
      const measured = async (messages: IncomingMessage[], handle: () => Promise<void>) => {
        try {
          await handle();
        } catch (error) {
          for (const message of messages) handled.inc({ topic: message.topic, group: options.group, outcome: 'error' });
          throw error;
        }
        const handledAt = Date.now();
        for (const message of messages) {
          handled.inc({ topic: message.topic, group: options.group, outcome: 'ok' });
          const time = Date.parse(message.headers.ce_time ?? '');
          if (!Number.isNaN(time)) lag.observe([message.topic, options.group], (handledAt - time) / 1000);
        }
      };
      if ('handleBatch' in options) {
        return transport.subscribe({
          ...options,
          handleBatch: (messages) => measured(messages, () => options.handleBatch(messages)),
        });
      }
      return transport.subscribe({
        ...options,
        handle: (message) => measured([message], () => options.handle(message)),
      });
    },
  };
}

/** Outbox backlog and the age of its oldest unpublished row, read from each schema on scrape. */
export function registerOutboxGauges(registry: Registry, kysely: Kysely<any>, schemas: string[]): void {
  const read = async (schema: string) => {
    const { rows } = await sql<{ backlog: number; age: number | null }>`
      select count(*)::int as backlog, extract(epoch from now() - min(created_at))::float8 as age
      from ${sql.table(`${schema}.outbox`)} where published_at is null and parked_at is null`.execute(kysely);
    return rows[0];
  };
  new Gauge({
    name: 'outbox_backlog',
    help: 'Committed outbox rows not yet published',
    labelNames: ['schema'],
    registers: [registry],
    async collect() {
      for (const schema of schemas) this.set({ schema }, (await read(schema))?.backlog ?? 0);
    },
  });
  new Gauge({
    name: 'outbox_oldest_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when empty)',
    labelNames: ['schema'],
    registers: [registry],
    async collect() {
      for (const schema of schemas) this.set({ schema }, (await read(schema))?.age ?? 0);
    },
  });
}
