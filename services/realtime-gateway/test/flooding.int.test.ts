import { randomUUID } from 'node:crypto';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { publishEvent, publishedEventWithTickets } from './support/bus';
import { caughtUp, listen } from './support/gateway';
import { TestClient } from './support/ws-client';

// Real Kafka and sockets. A client that floods the gateway with frames is told to slow down, then
// closed with 1008; the clients next to it are served as before.
describe('a flooding client', () => {
  let services: TestServices;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async () => {
    const client = await TestClient.connect(url);
    client.socket.on('error', () => {});
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    services = await startServicesForTests([createRealtimeService({ inboundPerSecond: 5, inboundBurst: 10 })], {
      bus: 'kafka',
    });
    url = await listen(services.app);
    await caughtUp(services.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await services?.close();
  });

  it('is refused with rate_limited, then closed with 1008, while its neighbour keeps its updates', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const channel = `event:${eventId}`;
    const neighbour = await connect();
    await neighbour.snapshotOf(channel, (frame) => frame.data.ticketTypes.length === 1);
    const flooder = await connect();

    for (let i = 0; i < 100; i++) {
      flooder.send({ op: i % 2 === 0 ? 'subscribe' : 'unsubscribe', channel: `event:${randomUUID()}` });
    }
    expect(await flooder.next((frame) => frame.type === 'error' && frame.code === 'rate_limited')).toBeDefined();
    expect((await flooder.closed).code).toBe(1008);
    expect(flooder.frames.filter((frame) => frame.code === 'rate_limited')).toHaveLength(1);

    await publishEvent(services.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId,
      ticketTypeId,
      available: 90,
      quantity: 100,
      version: 2,
    });
    expect(await neighbour.next((frame) => frame.type === 'availability')).toMatchObject({ data: { available: 90 } });
    expect(neighbour.isOpen).toBe(true);
    await eventually(
      async () => (await services.app.inject({ method: 'GET', url: '/metrics' })).body,
      (body) => /realtime_clients_dropped_total\{reason="rate_limit"[^}]*\} 1/.test(body),
    );
  });

  it('counts pings too', async () => {
    const flooder = await connect();
    for (let i = 0; i < 100; i++) flooder.socket.ping();
    expect((await flooder.closed).code).toBe(1008);
  });

  it('serves a client that stays under the limit', async () => {
    const client = await connect();
    for (let i = 0; i < 10; i++) client.send({ op: 'unsubscribe', channel: `event:${randomUUID()}` });
    for (let i = 0; i < 10; i++) await client.next((frame) => frame.type === 'unsubscribed');
    expect(client.frames.some((frame) => frame.type === 'error')).toBe(false);
    expect(client.isOpen).toBe(true);
  });
});
