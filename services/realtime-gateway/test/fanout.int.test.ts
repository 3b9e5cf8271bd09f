import { startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { eventState, message, publishedEventWithTickets } from './support/bus';
import { caughtUp, listen } from './support/gateway';
import { type ServerFrame, TestClient } from './support/ws-client';

// Real Kafka and sockets. A tiny fan-out chunk makes every message of a busy channel yield to the
// event loop several times on its way, while the next messages of the same channel queue behind it.
describe('chunked fan-out', () => {
  let services: TestServices;
  let url: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    services = await startServicesForTests([createRealtimeService({ fanoutChunkSize: 2, coalesceMs: 0 })], {
      bus: 'kafka',
    });
    url = await listen(services.app);
    await caughtUp(services.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await services?.close();
  });

  it('keeps every subscriber’s versions rising, loses no edit and ends with the latest availability', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const channel = `event:${eventId}`;
    for (let i = 0; i < 9; i++) clients.push(await TestClient.connect(url));
    const snapshots = new Map<TestClient, ServerFrame>();
    for (const client of clients) {
      snapshots.set(client, await client.snapshotOf(channel, (frame) => frame.data.ticketTypes.length === 1));
    }

    // Edits are sent as they come, so they queue behind each other on the channel; availability is
    // coalesced while the channel is busy, so only its latest value is certain to arrive.
    const last = 41;
    const edits = 20;
    await services.transport.publish([
      ...Array.from({ length: edits }, (_, i) =>
        message(
          'events.event.v1',
          'event.updated',
          eventId,
          eventState({ eventId, organizerId: organizer.userId, name: `Edit ${i}` }),
        ),
      ),
      ...Array.from({ length: last - 1 }, (_, i) =>
        message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
          eventId,
          ticketTypeId,
          available: 100 - (i + 2),
          quantity: 100,
          version: i + 2,
        }),
      ),
    ]);
    // Joins while the changes are being fanned out.
    const late = await TestClient.connect(url);
    clients.push(late);
    const lateSnapshot = await late.snapshotOf(channel, (frame) => frame.data.ticketTypes.length === 1);
    snapshots.set(late, lateSnapshot);

    for (const client of clients) {
      const snapshot = snapshots.get(client) as ServerFrame;
      // The late joiner may have subscribed after the last change: then its snapshot shows it.
      if (snapshot.data.ticketTypes[0].version < last) {
        await client.next((frame) => frame.type === 'availability' && frame.data.version === last);
      }
      if (client !== late) {
        await client.next((frame) => frame.type === 'event.updated' && frame.data.name === `Edit ${edits - 1}`);
      }
      const after = client.frames.slice(client.frames.indexOf(snapshot) + 1).filter((f) => f.channel === channel);
      const versions = after.map((frame) => frame.version as number);
      for (const version of versions) expect(version).toBeGreaterThan(snapshot.version as number);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] as number);
      const ticketVersions = after.filter((frame) => frame.type === 'availability').map((frame) => frame.data.version);
      expect(ticketVersions).toEqual([...ticketVersions].sort((a, b) => a - b));
      const names = after.filter((frame) => frame.type === 'event.updated').map((frame) => frame.data.name);
      if (client !== late) expect(names).toEqual(Array.from({ length: edits }, (_, i) => `Edit ${i}`));
    }
  });
});
