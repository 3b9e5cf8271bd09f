import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Transport } from '@echoplex/bus';
import type { HttpApp } from '@echoplex/http';
import { publishedEventWithTickets } from './bus';
import { TestClient } from './ws-client';

/** Listens on a free port of the loopback interface and returns the socket URL. */
export async function listen(app: HttpApp): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/ws`;
}

/**
 * Waits until the gateway has replayed the topics' history (the shared broker may hold a lot of
 * it): an event published now shows only after what came before it on its partitions.
 */
export async function caughtUp(transport: Transport, url: string): Promise<void> {
  const { eventId } = await publishedEventWithTickets(transport, randomUUID());
  const client = await TestClient.connect(url);
  await client.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes.length === 1, 110_000);
  client.close();
}
