import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { createDatabase, type Database } from '@echoplex/db';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsService } from '../src/plugin';
import { rebuildReportingTables } from '../src/rebuild';
import { domainEvent, type PublishedEvent, publishEvents } from './domain-events';
import { buildScenario, expectedFigures, type Scenario } from './scenario';

// Real: PostgreSQL, Kafka, the service's consumers, routes and rebuild. The other services are
// represented only by the CloudEvents they would publish.
describe('analytics reporting over Kafka', () => {
  let services: TestServices;
  let database: Database<unknown>;
  let organizer: Awaited<ReturnType<TestServices['auth']['user']>>;
  let scenario: Scenario;
  let expected: ReturnType<typeof expectedFigures>;
  // A group of its own: consumer groups are broker-wide and other runs share the broker.
  const group = `analytics.reporting.test-${randomUUID()}`;
  const long = 240_000;

  const summaryOf = async (eventId: string, headers = organizer.headers) => {
    const response = await services.app.inject({ url: `/api/analytics/events/${eventId}/summary`, headers });
    return { status: response.statusCode, body: response.json() };
  };
  const hourlyPoints = async (metric: string) => {
    const response = await services.app.inject({
      url: `/api/analytics/events/${scenario.eventId}/timeseries?metric=${metric}&interval=hour`,
      headers: organizer.headers,
    });
    expect(response.statusCode).toBe(200);
    const points: { t: string; value: number }[] = response.json().points;
    return new Map(points.filter((point) => point.value !== 0).map((point) => [point.t, point.value]));
  };
  const expectScenarioFigures = async () => {
    const { status, body } = await summaryOf(scenario.eventId);
    expect(status).toBe(200);
    expect(body).toEqual(expected.summary);
    for (const metric of ['registrations', 'revenue', 'pageViews', 'checkIns']) {
      expect(await hourlyPoints(metric)).toEqual(expected.hourly[metric]);
    }
  };

  beforeAll(async () => {
    services = await startServicesForTests([createAnalyticsService({ consumerGroup: group })], { bus: 'kafka' });
    database = createDatabase({ url: services.databaseUrl, poolMax: 3, statementTimeoutMs: 0 });
    organizer = await services.auth.user('organizer');
    scenario = buildScenario(organizer.userId, new Date(Date.now() - 3 * 24 * 3_600_000));
    expected = expectedFigures(scenario);
  });

  afterAll(async () => {
    await database?.close();
    await services?.close();
  });

  it(
    'reports every figure of the scenario, though its facts arrive newest first across topics',
    async () => {
      // Newest first: payments before their holds, cancellations before confirmations, refunds before
      // payments, views and registrations before the event itself is known.
      await publishEvents(services.transport, [...scenario.events].reverse());

      await eventually(
        () => summaryOf(scenario.eventId),
        ({ body }) => isDeepStrictEqual(body, expected.summary),
        long,
      );
      await expectScenarioFigures();
    },
    long + 30_000,
  );

  it(
    'changes nothing when every message is delivered twice more',
    async () => {
      await publishEvents(services.transport, scenario.events);
      await publishEvents(services.transport, scenario.events);

      // Markers on the same keys (so the same partitions) as the copies: once they are counted,
      // every copy before them has been consumed.
      const markerEvent = randomUUID();
      const markerOrganizer = randomUUID();
      const now = new Date().toISOString();
      const paymentKeys = [
        ...new Set(scenario.events.filter((e) => e.topic === 'payments.payment.v1').map((e) => e.key)),
      ];
      const markers: PublishedEvent[] = [
        domainEvent(
          'events.event.v1',
          'event.created',
          scenario.eventId,
          {
            eventId: markerEvent,
            organizerId: markerOrganizer,
            name: 'marker',
            status: 'draft',
            startTime: now,
            endTime: now,
            capacity: 1,
            categories: [],
          },
          now,
        ),
        domainEvent(
          'ticketing.ticket-type.v1',
          'ticket_type.created',
          scenario.eventId,
          {
            eventId: markerEvent,
            ticketTypeId: randomUUID(),
            name: 'marker',
            price: 1,
            currency: 'eur',
            quantity: 1,
            salesStart: null,
            salesEnd: null,
          },
          now,
        ),
        domainEvent(
          'ticketing.registration.v1',
          'ticket.checked_in',
          scenario.eventId,
          {
            ticketId: randomUUID(),
            registrationId: randomUUID(),
            eventId: markerEvent,
            ticketTypeId: randomUUID(),
            checkedInAt: now,
          },
          now,
        ),
        domainEvent(
          'analytics.page-view.v1',
          'page_view.recorded',
          scenario.eventId,
          { eventId: markerEvent, sessionId: null, referrer: null, occurredAt: now },
          now,
        ),
        ...paymentKeys.map((key) =>
          domainEvent(
            'payments.payment.v1',
            'payment.succeeded',
            key,
            {
              paymentId: randomUUID(),
              registrationId: randomUUID(),
              eventId: markerEvent,
              amount: 1,
              currency: 'eur',
              occurredAt: now,
            },
            now,
          ),
        ),
      ];
      await publishEvents(services.transport, markers);
      const markerHeaders = {
        authorization: `Bearer ${await services.auth.tokenFor({ userId: markerOrganizer, role: 'organizer' })}`,
      };
      const marker = await eventually(
        () => summaryOf(markerEvent, markerHeaders),
        ({ body }) =>
          body.byTicketType?.length === 1 &&
          body.checkIns === 1 &&
          body.pageViews === 1 &&
          body.revenue.gross === paymentKeys.length,
        long,
      );
      expect(marker.body).toMatchObject({ checkIns: 1, pageViews: 1, revenue: { gross: paymentKeys.length } });

      await expectScenarioFigures();
    },
    long + 30_000,
  );

  it(
    'gives the same figures after rebuilding every table from the topics',
    async () => {
      const result = await rebuildReportingTables({
        kysely: database.kysely,
        transport: services.transport,
        liveGroup: group,
        idleMs: 3_000,
      });
      expect(result.tables).toEqual(expect.arrayContaining(['event_stats', 'registrations', 'event_stats_hourly']));
      expect(result.eventsApplied).toBeGreaterThanOrEqual(scenario.events.length);

      await expectScenarioFigures();
      // The live consumer goes on into the swapped-in tables without counting the replay twice.
      const viewed = await services.app.inject({
        method: 'POST',
        url: '/api/analytics/page-views',
        payload: { eventId: scenario.eventId, sessionId: 's1' },
      });
      expect(viewed.statusCode).toBe(202);
      const after = await eventually(
        () => summaryOf(scenario.eventId),
        ({ body }) => body.pageViews === expected.summary.pageViews + 1,
        long,
      );
      expect(after.body).toEqual({
        ...expected.summary,
        asOf: after.body.asOf,
        pageViews: expected.summary.pageViews + 1,
      });
    },
    2 * long,
  );

  it('shows an event only to its organizer', async () => {
    const otherOrganizer = await services.auth.user('organizer');
    const attendee = await services.auth.user('attendee');
    expect((await summaryOf(scenario.eventId, otherOrganizer.headers)).status).toBe(404);
    expect((await summaryOf(scenario.eventId, attendee.headers)).status).toBe(404);
    expect((await summaryOf(randomUUID())).status).toBe(404);
    const anonymous = await services.app.inject({ url: `/api/analytics/events/${scenario.eventId}/summary` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('unauthorized');
    const timeseries = await services.app.inject({
      url: `/api/analytics/events/${scenario.eventId}/timeseries?metric=revenue`,
      headers: otherOrganizer.headers,
    });
    expect(timeseries.statusCode).toBe(404);
    const overview = await services.app.inject({ url: '/api/analytics/overview', headers: attendee.headers });
    expect(overview.statusCode).toBe(403);
  });

  it('rejects a time series range that ends before it starts, or an unknown metric', async () => {
    const url = `/api/analytics/events/${scenario.eventId}/timeseries`;
    const backwards = await services.app.inject({
      url: `${url}?metric=revenue&from=2027-03-02T00:00:00.000Z&to=2027-03-01T00:00:00.000Z`,
      headers: organizer.headers,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().code).toBe('invalid_date_range');
    const unknownMetric = await services.app.inject({ url: `${url}?metric=likes`, headers: organizer.headers });
    expect(unknownMetric.statusCode).toBe(400);
    const daily = await services.app.inject({ url: `${url}?metric=checkIns&interval=day`, headers: organizer.headers });
    const points: { value: number }[] = daily.json().points;
    expect(points.reduce((sum, point) => sum + point.value, 0)).toBe(expected.summary.checkIns);
  });

  it(
    'answers zeros for a new event, then counts its page views from the public endpoint',
    async () => {
      const owner = await services.auth.user('organizer');
      const eventId = randomUUID();
      const created = new Date().toISOString();
      await publishEvents(services.transport, [
        domainEvent(
          'events.event.v1',
          'event.created',
          eventId,
          {
            eventId,
            organizerId: owner.userId,
            name: 'Brand new',
            status: 'draft',
            startTime: created,
            endTime: created,
            capacity: 10,
            categories: [],
          },
          created,
        ),
      ]);
      const fresh = await eventually(
        () => summaryOf(eventId, owner.headers),
        ({ status }) => status === 200,
        long,
      );
      expect(fresh.body).toEqual({
        eventId,
        asOf: created,
        capacity: 10,
        ticketsSold: 0,
        utilization: 0,
        registrations: { confirmed: 0, pending: 0, cancelled: 0, expired: 0 },
        revenue: { gross: 0, refunded: 0, net: 0, currency: null },
        byTicketType: [],
        pageViews: 0,
        uniqueVisitors: 0,
        conversionRate: 0,
        checkIns: 0,
      });

      for (const sessionId of ['a', 'a', 'b']) {
        const response = await services.app.inject({
          method: 'POST',
          url: '/api/analytics/page-views',
          payload: { eventId, sessionId, referrer: 'https://example.org' },
        });
        expect(response.statusCode).toBe(202);
      }
      const invalid = await services.app.inject({
        method: 'POST',
        url: '/api/analytics/page-views',
        payload: { eventId: 'not-a-uuid' },
      });
      expect(invalid.statusCode).toBe(422);
      const viewed = await eventually(
        () => summaryOf(eventId, owner.headers),
        ({ body }) => body.pageViews === 3,
        long,
      );
      expect(viewed.body).toMatchObject({ pageViews: 3, uniqueVisitors: 2, conversionRate: 0 });
    },
    long + 30_000,
  );

  it("totals the organizer's events in the overview", async () => {
    const response = await services.app.inject({ url: '/api/analytics/overview', headers: organizer.headers });
    expect(response.statusCode).toBe(200);
    const overview = response.json();
    const summary = expected.summary;
    expect(overview).toMatchObject({
      eventCount: 1,
      capacity: summary.capacity,
      ticketsSold: summary.ticketsSold,
      registrations: summary.registrations,
      revenue: summary.revenue,
      checkIns: summary.checkIns,
      events: [{ eventId: scenario.eventId, ticketsSold: summary.ticketsSold, netRevenue: summary.revenue.net }],
    });
  });
});
