import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { createDatabase, type Database, sql } from '@echoplex/db';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsService } from '../src/plugin';
import { type PublishedEvent, publishEvents } from './domain-events';
import { buildScenario, expectedFigures } from './scenario';

// Real: PostgreSQL, the service's consumers and routes. The in-process bus hands the consumer
// everything published in one call as one batch (up to its 100 events), which Kafka cannot promise.
describe('analytics reporting of facts repeated within one batch', () => {
  let services: TestServices;
  let database: Database<unknown>;

  beforeAll(async () => {
    services = await startServicesForTests([createAnalyticsService()]);
    database = createDatabase({ url: services.databaseUrl, poolMax: 1, statementTimeoutMs: 0 });
  });

  afterAll(async () => {
    await database?.close();
    await services?.close();
  });

  it('counts a payment, refund, check-in and visitor once when announced twice in the same batch', async () => {
    const organizer = await services.auth.user('organizer');
    const scenario = buildScenario(organizer.userId, new Date(Date.now() - 3 * 24 * 3_600_000));
    const expected = expectedFigures(scenario);
    // The same facts under new CloudEvent ids, as a producer retrying after a lost ack would send
    // them; sessions already come back several times in the scenario's page views.
    const announcedAgain: PublishedEvent[] = scenario.events
      .filter((event) => ['payment.succeeded', 'payment.refunded', 'ticket.checked_in'].includes(event.type))
      .map((event) => ({ ...event, id: randomUUID() }));
    const batch = [...scenario.events, ...announcedAgain].reverse();
    expect(batch.length).toBeLessThanOrEqual(100);
    await publishEvents(services.transport, batch);

    const summaryOf = async () => {
      const response = await services.app.inject({
        url: `/api/analytics/events/${scenario.eventId}/summary`,
        headers: organizer.headers,
      });
      return response.json();
    };
    const summary = await eventually(summaryOf, (body) => isDeepStrictEqual(body, expected.summary), 30_000);
    expect(summary).toEqual(expected.summary);
    // One transaction (now() is its start) applied them all: the batch did not fall back to one by one.
    const { rows } = await sql<{ transactions: number }>`
      select count(distinct processed_at)::int as transactions from analytics.inbox
      where event_id in (${sql.join(batch.map((event) => event.id))})`.execute(database.kysely);
    expect(rows[0]?.transactions).toBe(1);
    for (const metric of ['revenue', 'checkIns'] as const) {
      const response = await services.app.inject({
        url: `/api/analytics/events/${scenario.eventId}/timeseries?metric=${metric}&interval=hour`,
        headers: organizer.headers,
      });
      const points: { t: string; value: number }[] = response.json().points;
      expect(new Map(points.filter((point) => point.value !== 0).map((point) => [point.t, point.value]))).toEqual(
        expected.hourly[metric],
      );
    }
  });
});
