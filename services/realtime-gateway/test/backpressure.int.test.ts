import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { message, publishEvent, publishedEventWithTickets } from './support/bus';
import { caughtUp, listen } from './support/gateway';
import { type ServerFrame, TestClient } from './support/ws-client';

// Real Kafka and sockets. A client that stops reading must cost the others nothing: the gateway
// never waits for a socket, and drops the one whose unsent backlog passes the limit.
describe('a stalled client', () => {
  let services: TestServices;
  let url: string;

  beforeAll(async () => {
    services = await startServicesForTests(
      [createRealtimeService({ maxBufferedBytes: 256 * 1024, inboundBurst: 1_000 })],
      {
        bus: 'kafka',
      },
    );
    url = await listen(services.app);
    await caughtUp(services.app);
  });
  afterAll(async () => {
    await services?.close();
  });

  it('does not delay the others and is dropped once its backlog passes the limit', async () => {
    const organizer = await services.auth.user('organizer');
    // Many ticket types make every snapshot large (~100 KB), so a stalled reader fills its buffers fast.
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId, 1_000);
    const channel = `event:${eventId}`;
    const healthy = await TestClient.connect(url);
    const stalled = await TestClient.connect(url);
    stalled.socket.on('error', () => {});
    for (const client of [healthy, stalled]) {
      await client.snapshotOf(channel, (snapshot) => snapshot.data.ticketTypes.length === 1_000);
    }

    const socket = (stalled.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    // Each repeated subscribe is answered with a fresh snapshot the stalled client never reads.
    for (let i = 0; i < 300; i++) stalled.send({ op: 'subscribe', channel });

    const ticketTypeId = ticketTypeIds[0] as string;
    await publishEvent(services.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId,
      ticketTypeId,
      available: 42,
      quantity: 100,
      version: 2,
    });
    const update = (version: number) => (frame: ServerFrame) =>
      frame.type === 'availability' && frame.data.ticketTypeId === ticketTypeId && frame.data.version === version;
    expect(await healthy.next(update(2))).toMatchObject({ data: { available: 42 } });
    await eventually(
      async () => (await services.app.inject({ method: 'GET', url: '/metrics' })).body,
      (body) => /realtime_clients_dropped_total\{reason="backpressure"[^}]*\} 1/.test(body),
    );
    socket.resume();
    await stalled.closed;

    await services.transport.publish([
      message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
        eventId,
        ticketTypeId,
        available: 41,
        quantity: 100,
        version: 3,
      }),
    ]);
    expect(await healthy.next(update(3))).toMatchObject({ data: { available: 41 } });
    expect(healthy.isOpen).toBe(true);
    healthy.close();
  });
});
