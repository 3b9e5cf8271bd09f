import { randomUUID } from 'node:crypto';
import { createKafkaTransport } from '@echoplex/bus';
import { type Database, migrateSchema, sql } from '@echoplex/db';
import { registryTopics } from '@echoplex/http';
import { startReportingConsumers } from '../../services/analytics/src/consumers/reporting-consumers';
import { migrations } from '../../services/analytics/src/db/migrations';
import { syntheticFacts } from './facts';

export interface ConsumeResult {
  members: number;
  events: number;
  seconds: number;
  perSecond: number;
  figuresMatch: boolean;
}

/**
 * Publishes a realistic mix of domain events, then lets the reporting consumers (as the service
 * runs them) read them from the beginning into fresh reporting tables, once per member count.
 * The rate is counted from the first to the last event handled, so group joins do not count.
 */
export async function measureConsumeRate(
  database: Database<unknown>,
  brokers: string[],
  memberCounts: number[],
  size: { events: number; registrationsPerEvent: number },
): Promise<ConsumeResult[]> {
  const transport = await createKafkaTransport({ brokers, clientId: 'bench-analytics', topics: registryTopics });
  const { messages, expected } = syntheticFacts(size.events, size.registrationsPerEvent);
  for (let i = 0; i < messages.length; i += 2_000) await transport.publish(messages.slice(i, i + 2_000));

  const results: ConsumeResult[] = [];
  try {
    for (const members of memberCounts) {
      const schema = `analytics_consume_${members}`;
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.kysely);
      await migrateSchema(database.kysely, schema, migrations);
      const warnings: string[] = [];
      let handled = 0;
      let first = 0;
      let last = 0;
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        done = resolve;
      });
      const consumers = await startReportingConsumers({
        transport,
        kysely: database.kysely.withSchema(schema),
        schema,
        group: `bench-${randomUUID()}`,
        members,
        log: {
          warn: (obj, msg) => warnings.push(`${msg}: ${String((obj as { err?: Error }).err?.message)}`),
          error: (obj, msg) => warnings.push(`${msg}: ${String((obj as { err?: Error }).err?.message)}`),
        },
        onProcessed: (_event, outcome) => {
          // Redeliveries after a rebalance come back as duplicates: only first applications count.
          if (outcome === 'duplicate') return;
          const now = performance.now();
          if (handled === 0) first = now;
          last = now;
          if (++handled === messages.length) done();
        },
      });
      await finished;
      await consumers.stop();
      const { rows } = await sql<Record<string, number>>`
        select sum(page_views)::int as page_views, sum(confirmed)::int as confirmed, sum(gross)::int as gross,
               sum(refunded)::int as refunded, sum(check_ins)::int as check_ins
        from ${sql.id(schema, 'event_stats')}`.execute(database.kysely);
      const figures = rows[0] ?? {};
      const seconds = (last - first) / 1000;
      results.push({
        members,
        events: messages.length,
        seconds: Number(seconds.toFixed(2)),
        perSecond: Math.round(messages.length / seconds),
        figuresMatch:
          figures.pageViews === expected.pageViews &&
          figures.confirmed === expected.confirmed &&
          figures.gross === expected.gross &&
          figures.refunded === expected.refunded &&
          figures.checkIns === expected.checkIns,
      });
      console.log('consume', results.at(-1), figures, expected, warnings.length, [...new Set(warnings)].slice(0, 5));
    }
  } finally {
    await transport.close();
  }
  return results;
}
