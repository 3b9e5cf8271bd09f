import { randomUUID } from 'node:crypto';
import type { Transport } from '@echoplex/bus';
import type { ServiceHost } from '@echoplex/http';
import { createTestAuth, createTestDatabase } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { realtimeService } from '../src/plugin';
import { message, publishedEventWithTickets } from './support/bus';
import { listen } from './support/gateway';
import { hostOnDatabase, kafkaTransport } from './support/host';
import { TestClient } from './support/ws-client';

const historySize = 5_000;

// Real Kafka and PostgreSQL. A starting gateway replays the topics into memory; until it has, its
// snapshots would be empty, so `/ready` keeps load balancers away.
describe('readiness of a starting gateway', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('answers 503 while replaying, and once ready serves the snapshot of an event published before it started', async () => {
    const database = await createTestDatabase(inject('databaseUrl'), 'realtime_ready');
    cleanup.push(() => database.drop());
    const publisher: Transport = await kafkaTransport();
    cleanup.push(() => publisher.close());
    const auth = await createTestAuth();
    const organizer = await auth.user('organizer');
    // History in front of the event, so the replay takes a while even on an empty broker.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (let batch = 0; batch < historySize / 500; batch++) {
      const eventId = randomUUID();
      await publisher.publish(
        Array.from({ length: 500 }, () =>
          message(
            'ticketing.registration.v1',
            'registration.confirmed',
            eventId,
            {
              registrationId: randomUUID(),
              eventId,
              ticketTypeId: randomUUID(),
              userId: randomUUID(),
              quantity: 1,
              amount: 2500,
              currency: 'eur',
              occurredAt: hourAgo.toISOString(),
            },
            hourAgo,
          ),
        ),
      );
    }
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(publisher, organizer.userId);

    const host: ServiceHost = await hostOnDatabase([realtimeService], database.url, auth, await kafkaTransport());
    cleanup.push(() => host.shutdown());
    const answers: { statusCode: number; body: any }[] = [];
    for (;;) {
      const response = await host.app.inject({ method: 'GET', url: '/ready' });
      answers.push({ statusCode: response.statusCode, body: response.json() });
      if (response.statusCode === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answers[0]).toMatchObject({
      statusCode: 503,
      body: { status: 'unavailable', checks: { database: 'ok', bus: 'ok', 'realtime-replay': 'replaying the topics' } },
    });
    expect(answers.at(-1)?.body.checks['realtime-replay']).toBe('ok');

    // Asked once, no retry: a ready gateway already knows the event.
    const client = await TestClient.connect(await listen(host.app));
    cleanup.push(async () => client.close());
    expect(await client.subscribe(`event:${eventId}`, 0)).toMatchObject({ type: 'subscribed' });
    const snapshot = await client.next((frame) => frame.type === 'snapshot');
    expect(snapshot.data).toMatchObject({
      status: 'published',
      available: 100,
      ticketTypes: [{ id: ticketTypeIds[0], available: 100, version: 1 }],
    });
  });
});
