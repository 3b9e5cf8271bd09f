import { randomUUID } from 'node:crypto';
import { createDatabase, type Database, sql } from '@echoplex/db';
import { eventually, metricValue, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsService } from '../src/plugin';
import { domainEvent, publishEvents } from './domain-events';

// Real: PostgreSQL, Kafka or the in-process bus, the service's page-view route, its event-id follower
// and its reporting consumers. The events service is represented by the CloudEvents it publishes.
describe.each(['kafka', 'in-process'] as const)('page views of unknown events (%s bus)', (bus) => {
  let services: TestServices;
  let database: Database<unknown>;
  let organizer: Awaited<ReturnType<TestServices['auth']['user']>>;
  const group = `analytics.reporting.test-${randomUUID()}`;
  const holdMs = 3_000;

  const view = (eventId: string, sessionId = randomUUID()) =>
    services.app.inject({ method: 'POST', url: '/api/analytics/page-views', payload: { eventId, sessionId } });

  const created = (eventId: string) => {
    const now = new Date().toISOString();
    const data = {
      eventId,
      organizerId: organizer.userId,
      name: 'Viewed',
      status: 'draft' as const,
      startTime: now,
      endTime: now,
      capacity: 10,
      categories: [],
    };
    return publishEvents(services.transport, [domainEvent('events.event.v1', 'event.created', eventId, data, now)]);
  };
  const deleted = (eventId: string) => {
    const data = { eventId, organizerId: organizer.userId };
    const now = new Date().toISOString();
    return publishEvents(services.transport, [domainEvent('events.event.v1', 'event.deleted', eventId, data, now)]);
  };

  const pageViewsOf = async (eventId: string) => {
    const response = await services.app.inject({
      url: `/api/analytics/events/${eventId}/summary`,
      headers: organizer.headers,
    });
    return response.json().pageViews as number | undefined;
  };

  /** Rows any reporting table holds for the event id. */
  const rowsAbout = async (eventId: string) => {
    const { rows } = await sql<{ n: number }>`
      select (select count(*) from analytics.event_stats where event_id = ${eventId})
           + (select count(*) from analytics.event_stats_hourly where event_id = ${eventId})
           + (select count(*) from analytics.event_stats_daily where event_id = ${eventId})
           + (select count(*) from analytics.visitors where event_id = ${eventId}) as n`.execute(database.kysely);
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    services = await startServicesForTests(
      [createAnalyticsService({ consumerGroup: group, consumerMembers: 1, pageViewHoldMs: holdMs })],
      { bus },
    );
    database = createDatabase({ url: services.databaseUrl, poolMax: 1 });
    organizer = await services.auth.user('organizer');
  });
  afterAll(async () => {
    await database?.close();
    await services?.close();
  });

  it('answers 202 for an unknown event id, then drops the view: counted as dropped, no row anywhere', async () => {
    const unknownEventId = randomUUID();
    const knownEventId = randomUUID();
    await created(knownEventId);
    const droppedBefore = await metricValue(services.app, 'analytics_page_views_unknown_event_total');

    expect((await view(unknownEventId)).statusCode).toBe(202);
    expect((await view(knownEventId)).statusCode).toBe(202);
    const dropped = await eventually(
      () => metricValue(services.app, 'analytics_page_views_unknown_event_total'),
      (total) => total === droppedBefore + 1,
    );
    expect(dropped).toBe(droppedBefore + 1);
    // The pipeline is live (the known event's view is counted), and nothing was kept of the unknown one.
    expect(
      await eventually(
        () => pageViewsOf(knownEventId),
        (views) => views === 1,
      ),
    ).toBe(1);
    expect(await rowsAbout(unknownEventId)).toBe(0);
  });

  it('counts a view that arrives just before its event is announced', async () => {
    const eventId = randomUUID();
    expect((await view(eventId)).statusCode).toBe(202);
    await created(eventId);
    expect(
      await eventually(
        () => pageViewsOf(eventId),
        (views) => views === 1,
      ),
    ).toBe(1);
  });

  it('drops views of a deleted event', async () => {
    const eventId = randomUUID();
    await created(eventId);
    await deleted(eventId);
    const droppedBefore = await metricValue(services.app, 'analytics_page_views_unknown_event_total');
    // The follower may still be reading the deletion: keep viewing until one is dropped.
    const dropped = await eventually(
      async () => {
        await view(eventId);
        return metricValue(services.app, 'analytics_page_views_unknown_event_total');
      },
      (total) => total > droppedBefore,
    );
    expect(dropped).toBeGreaterThan(droppedBefore);
  });
});
