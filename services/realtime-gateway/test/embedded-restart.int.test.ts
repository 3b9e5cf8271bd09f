import { createTestAuth, createTestDatabase } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { realtimeService } from '../src/plugin';
import { message, publishedEventWithTickets } from './support/bus';
import { listen } from './support/gateway';
import { hostOnDatabase, inProcessTransport } from './support/host';
import { TestClient } from './support/ws-client';

// Real PostgreSQL and sockets, the in-process bus of embedded mode. That bus keeps no history, so
// the gateway records what it consumed and replays it on the next start.
describe('a restart in embedded mode', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('still knows the events and their availability', async () => {
    const database = await createTestDatabase(inject('databaseUrl'), 'realtime_embedded');
    cleanup.push(() => database.drop());
    const auth = await createTestAuth();
    const organizer = await auth.user('organizer');

    const firstBus = inProcessTransport();
    const first = await hostOnDatabase([realtimeService], database.url, auth, firstBus);
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(firstBus, organizer.userId, 1, 50);
    const ticketTypeId = ticketTypeIds[0] as string;
    const availability = (available: number, version: number) =>
      message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
        eventId,
        ticketTypeId,
        available,
        quantity: 50,
        version,
      });
    await firstBus.publish([availability(45, 2), availability(44, 3)]);
    const before = await TestClient.connect(await listen(first.app));
    await before.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes[0]?.version === 3);
    await first.shutdown();
    await before.closed;

    const second = await hostOnDatabase([realtimeService], database.url, auth, inProcessTransport());
    cleanup.push(() => second.shutdown());
    const after = await TestClient.connect(await listen(second.app));
    cleanup.push(async () => after.close());
    expect(await after.subscribe(`event:${eventId}`, 0)).toMatchObject({ type: 'subscribed' });
    expect((await after.next((frame) => frame.type === 'snapshot')).data).toMatchObject({
      status: 'published',
      ticketTypes: [{ id: ticketTypeId, available: 44, version: 3 }],
    });
  });
});
