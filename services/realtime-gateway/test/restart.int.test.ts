import { randomUUID } from 'node:crypto';
import type { Transport } from '@echoplex/bus';
import type { ServiceHost } from '@echoplex/http';
import { createTestAuth, createTestDatabase } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { realtimeService } from '../src/plugin';
import { message, publishedEventWithTickets } from './support/bus';
import { caughtUp, listen } from './support/gateway';
import { hostOnDatabase, kafkaTransport } from './support/host';
import { TestClient } from './support/ws-client';

// Real Kafka and PostgreSQL. The gateway keeps its model in memory and rebuilds it from the topics,
// so a restart costs the open connections and nothing else.
describe('a gateway restart', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('loses only the connections: a new client gets the current snapshot', async () => {
    const database = await createTestDatabase(inject('databaseUrl'), 'realtime_restart');
    cleanup.push(() => database.drop());
    const publisher: Transport = await kafkaTransport();
    cleanup.push(() => publisher.close());
    const auth = await createTestAuth();
    const organizer = await auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(publisher, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const availability = (available: number, version: number) =>
      message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
        eventId,
        ticketTypeId,
        available,
        quantity: 100,
        version,
      });
    const buyer = await auth.user('attendee');
    const hourAgo = new Date(Date.now() - 3_600_000);
    const registration = {
      registrationId: randomUUID(),
      eventId,
      ticketTypeId,
      userId: buyer.userId,
      quantity: 3,
      amount: 7500,
      currency: 'eur',
      occurredAt: hourAgo.toISOString(),
    };
    await publisher.publish([
      availability(80, 5),
      message('ticketing.registration.v1', 'registration.confirmed', eventId, registration, hourAgo),
    ]);

    const first: ServiceHost = await hostOnDatabase([realtimeService], database.url, auth, await kafkaTransport());
    const firstUrl = await listen(first.app);
    await caughtUp(first.app);
    const before = await TestClient.connect(firstUrl);
    const seen = await before.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes[0]?.version === 5);
    await first.shutdown();
    expect((await before.closed).code).toBe(1001);

    await publisher.publish([availability(79, 6)]);
    const second = await hostOnDatabase([realtimeService], database.url, auth, await kafkaTransport());
    cleanup.push(() => second.shutdown());
    const secondUrl = await listen(second.app);
    await caughtUp(second.app);
    const after = await TestClient.connect(secondUrl);
    cleanup.push(async () => after.close());
    const snapshot = await after.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes[0]?.version === 6);
    expect(snapshot.data).toMatchObject({
      status: 'published',
      available: 79,
      ticketTypes: [{ id: ticketTypeId, available: 79, status: 'on_sale', version: 6 }],
    });
    expect(snapshot.version).toBeGreaterThan(seen.version as number);

    const owner = await TestClient.signedIn(secondUrl, await auth.tokenFor(organizer));
    cleanup.push(async () => owner.close());
    await owner.subscribe(`organizer:${eventId}`);
    // Replayed history, an hour old: its totals, but no live registration frame.
    const totals = await owner.next((frame) => frame.type === 'sales' && frame.data.ticketsSold === 3);
    expect(totals.data).toMatchObject({ revenue: 7500, registrations: { confirmed: 1 } });
    expect(owner.frames.some((frame) => frame.type === 'registration')).toBe(false);

    await publisher.publish([availability(78, 7)]);
    // Frames pushed while the model was still being replayed may precede it; they carry older versions.
    const update = await after.next((frame) => frame.type === 'availability' && frame.data.version === 7);
    expect(update.data).toMatchObject({ available: 78 });
    expect(update.version).toBeGreaterThan(snapshot.version as number);
  });
});
