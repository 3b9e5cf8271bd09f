import { randomUUID } from 'node:crypto';
import type { Role } from '@echoplex/http';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { eventState, message, publishEvent, publishedEventWithTickets } from './support/bus';
import { caughtUp, listen } from './support/gateway';
import { TestClient } from './support/ws-client';

// Real: Kafka (the run's broker), PostgreSQL, the gateway on a real port, `ws` clients. Other
// services are played by publishing their CloudEvents on the transport, as their relays would.
describe('realtime gateway over Kafka', () => {
  let services: TestServices;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async (query = '', options = {}) => {
    const client = await TestClient.connect(`${url}${query}`, options);
    clients.push(client);
    return client;
  };
  const connectAs = async (user: { userId: string; role: Role }) => {
    const client = await TestClient.signedIn(url, await services.auth.tokenFor(user));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    services = await startServicesForTests(
      [createRealtimeService({ heartbeatMs: 300, maxSubscriptionsPerSocket: 3 })],
      { bus: 'kafka' },
    );
    url = await listen(services.app);
    await caughtUp(services.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await services?.close();
  });

  it('pushes a committed availability change with a higher version than the snapshot', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const client = await connect();

    const snapshot = await client.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes.length === 1);
    expect(snapshot).toMatchObject({
      channel: `event:${eventId}`,
      data: {
        eventId,
        status: 'published',
        capacity: 1000,
        available: 100,
        soldOut: false,
        ticketTypes: [{ id: ticketTypeId, available: 100, status: 'on_sale', version: 1 }],
      },
    });

    await publishEvent(services.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId,
      ticketTypeId,
      available: 97,
      quantity: 100,
      version: 2,
    });
    const update = await client.next((frame) => frame.type === 'availability');
    expect(update).toMatchObject({
      channel: `event:${eventId}`,
      data: { ticketTypeId, available: 97, status: 'on_sale', version: 2, eventAvailable: 97 },
    });
    expect(update.version).toBeGreaterThan(snapshot.version as number);
  });

  it('ignores a replayed older availability and announces selling out', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId, 1, 5);
    const ticketTypeId = ticketTypeIds[0] as string;
    const client = await connect();
    const snapshot = await client.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes.length === 1);

    const availability = (available: number, version: number) =>
      message('ticketing.availability.v1', 'availability.changed', ticketTypeId, {
        eventId,
        ticketTypeId,
        available,
        quantity: 5,
        version,
      });
    await services.transport.publish([availability(0, 3), availability(4, 2)]);

    const soldOut = await client.next((frame) => frame.type === 'event.status');
    expect(soldOut.data).toEqual({ status: 'published', soldOut: true });
    const updates = client.frames.filter(
      (frame) => frame.type === 'availability' && (frame.version as number) > (snapshot.version as number),
    );
    expect(updates.map((frame) => frame.data.available)).toEqual([0]);
    expect(updates[0]).toMatchObject({ data: { status: 'sold_out', version: 3 } });
    expect(soldOut.version).toBeGreaterThan(updates[0]?.version as number);
    expect(updates[0]?.version).toBeGreaterThan(snapshot.version as number);
  });

  it('answers a forbidden organizer subscription with an error and keeps the socket open', async () => {
    const organizer = await services.auth.user('organizer');
    const attendee = await services.auth.user('attendee');
    const { eventId } = await publishedEventWithTickets(services.transport, organizer.userId);
    const client = await connectAs(attendee);
    await client.subscribe(`event:${eventId}`);

    client.send({ op: 'subscribe', channel: `organizer:${eventId}` });
    const refusal = await client.next((frame) => frame.type === 'error');
    expect(refusal).toMatchObject({ type: 'error', code: 'forbidden', channel: `organizer:${eventId}` });
    client.send({ op: 'subscribe', channel: `user:${organizer.userId}` });
    expect(await client.next((frame) => frame.type === 'error')).toMatchObject({
      code: 'forbidden',
      channel: `user:${organizer.userId}`,
    });

    expect(client.isOpen).toBe(true);
    expect(await client.subscribe(`user:${attendee.userId}`, 0)).toMatchObject({ type: 'subscribed' });
  });

  it('refuses anonymous subscribers to private channels and drafts to everyone but the owner', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId } = await publishedEventWithTickets(services.transport, organizer.userId);
    const owner = await connectAs(organizer);
    await owner.subscribe(`event:${eventId}`);
    await publishEvent(services.transport, 'events.event.v1', 'event.unpublished', eventId, {
      eventId,
      organizerId: organizer.userId,
      name: 'Sale day',
      status: 'draft',
      startTime: '2030-03-01T18:00:00.000Z',
      endTime: '2030-03-01T23:00:00.000Z',
      capacity: 1000,
      categories: [],
    });
    expect(await owner.next((frame) => frame.type === 'event.status')).toMatchObject({
      data: { status: 'draft', soldOut: false },
    });

    const anonymous = await connect();
    expect(await anonymous.subscribe(`event:${eventId}`, 0)).toMatchObject({ code: 'forbidden' });
    expect(await anonymous.subscribe(`organizer:${eventId}`, 0)).toMatchObject({ code: 'forbidden' });
    expect(await anonymous.subscribe(`event:${randomUUID()}`, 0)).toMatchObject({ code: 'forbidden' });
    expect(await owner.subscribe(`organizer:${eventId}`, 0)).toMatchObject({ type: 'subscribed' });
  });

  it('drops everyone but the owner from an event moved back to draft', async () => {
    const organizer = await services.auth.user('organizer');
    const attendee = await services.auth.user('attendee');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const channel = `event:${eventId}`;
    const owner = await connectAs(organizer);
    const member = await connectAs(attendee);
    const anonymous = await connect();
    for (const client of [owner, member, anonymous]) {
      await client.snapshotOf(channel, (frame) => frame.data.ticketTypes.length === 1);
    }

    const draft = eventState({ eventId, organizerId: organizer.userId, status: 'draft' });
    await publishEvent(services.transport, 'events.event.v1', 'event.unpublished', eventId, draft);
    for (const client of [member, anonymous]) {
      expect(await client.next((frame) => frame.type === 'error')).toMatchObject({ code: 'forbidden', channel });
    }
    expect(await owner.next((frame) => frame.type === 'event.status')).toMatchObject({
      channel,
      data: { status: 'draft' },
    });

    await publishEvent(services.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId,
      ticketTypeId,
      available: 42,
      quantity: 100,
      version: 2,
    });
    expect(await owner.next((frame) => frame.type === 'availability')).toMatchObject({ data: { available: 42 } });
    for (const client of [member, anonymous]) {
      // An answer to a later request: whatever the gateway sent before it has arrived.
      await client.subscribe(`event:${randomUUID()}`, 0);
      const dismissal = client.frames.findIndex((frame) => frame.type === 'error' && frame.channel === channel);
      expect(client.frames.slice(dismissal + 1).filter((frame) => frame.channel === channel)).toEqual([]);
      expect(client.frames.some((frame) => frame.type === 'event.status')).toBe(false);
      expect(await client.subscribe(channel, 0)).toMatchObject({ code: 'forbidden' });
    }
  });

  it('streams registrations and sales to the owner, and their own registrations and payments to users', async () => {
    const organizer = await services.auth.user('organizer');
    const attendee = await services.auth.user('attendee');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId);
    const ticketTypeId = ticketTypeIds[0] as string;
    const owner = await connectAs(organizer);
    expect(await owner.subscribe(`organizer:${eventId}`)).toMatchObject({ type: 'subscribed' });
    const initial = await owner.next((frame) => frame.type === 'sales');
    expect(initial.data).toMatchObject({ eventId, ticketsSold: 0, revenue: 0, checkIns: 0 });
    const buyer = await connectAs(attendee);
    await buyer.subscribe(`user:${attendee.userId}`);

    const registrationId = randomUUID();
    const facts = {
      registrationId,
      eventId,
      ticketTypeId,
      userId: attendee.userId,
      quantity: 2,
      amount: 5000,
      currency: 'eur',
      occurredAt: new Date().toISOString(),
    };
    await publishEvent(services.transport, 'ticketing.registration.v1', 'registration.held', eventId, {
      ...facts,
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
    const held = await owner.next((frame) => frame.type === 'registration');
    expect(held.data).toEqual({
      registrationId,
      status: 'pending',
      ticketTypeId,
      quantity: 2,
      amount: 5000,
      currency: 'eur',
    });
    expect(await buyer.next((frame) => frame.type === 'registration.updated')).toMatchObject({
      channel: `user:${attendee.userId}`,
      data: { registrationId, eventId, status: 'pending', amount: 5000 },
    });

    await publishEvent(services.transport, 'ticketing.registration.v1', 'registration.confirmed', eventId, facts);
    const payment = {
      paymentId: randomUUID(),
      registrationId,
      eventId,
      amount: 5000,
      currency: 'eur',
      occurredAt: facts.occurredAt,
    };
    await publishEvent(services.transport, 'payments.payment.v1', 'payment.succeeded', registrationId, payment);
    await publishEvent(services.transport, 'ticketing.registration.v1', 'ticket.checked_in', eventId, {
      ticketId: randomUUID(),
      registrationId,
      eventId,
      ticketTypeId,
      checkedInAt: new Date().toISOString(),
    });

    const confirmed = await owner.next((frame) => frame.type === 'registration');
    expect(confirmed.data).toMatchObject({ status: 'confirmed' });
    expect(confirmed.version).toBeGreaterThan(held.version as number);
    expect(await owner.next((frame) => frame.type === 'checkin')).toMatchObject({
      data: { registrationId, ticketTypeId },
    });
    const totals = await owner.next((frame) => frame.type === 'sales' && frame.data.checkIns === 1);
    expect(totals.data).toMatchObject({
      ticketsSold: 2,
      seatsHeld: 0,
      revenue: 5000,
      registrations: { confirmed: 1, pending: 0 },
      byTicketType: [{ ticketTypeId, sold: 2, revenue: 5000 }],
    });
    const versions = owner.frames.filter((frame) => frame.channel === `organizer:${eventId}` && frame.version);
    expect(versions.map((frame) => frame.version)).toEqual(
      [...versions.map((frame) => frame.version as number)].sort((a, b) => a - b),
    );
    expect(await buyer.next((frame) => frame.type === 'payment.updated')).toMatchObject({
      data: { paymentId: payment.paymentId, registrationId, status: 'succeeded', amount: 5000 },
    });
    const buyerVersions = buyer.frames.filter((frame) => frame.version).map((frame) => frame.version as number);
    expect(buyerVersions[1]).toBeGreaterThan(buyerVersions[0] as number);
  });

  it('gives a reconnecting client a snapshot of the current availability', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId, ticketTypeIds } = await publishedEventWithTickets(services.transport, organizer.userId, 2);
    const [first, second] = ticketTypeIds as [string, string];
    const client = await connect();
    const before = await client.snapshotOf(`event:${eventId}`, (frame) => frame.data.ticketTypes.length === 2);
    client.close();
    await client.closed;

    await services.transport.publish([
      message('ticketing.availability.v1', 'availability.changed', first, {
        eventId,
        ticketTypeId: first,
        available: 60,
        quantity: 100,
        version: 7,
      }),
    ]);
    const again = await connect();
    const snapshot = await again.snapshotOf(`event:${eventId}`, (frame) =>
      frame.data.ticketTypes.some((type: { version: number }) => type.version === 7),
    );
    expect(snapshot.data.ticketTypes).toEqual(
      expect.arrayContaining([
        { id: first, available: 60, status: 'on_sale', version: 7 },
        { id: second, available: 100, status: 'on_sale', version: 1 },
      ]),
    );
    expect(snapshot.data.available).toBe(160);
    expect(snapshot.version).toBeGreaterThan(before.version as number);
  });

  it('authenticates with a message, answered with an acknowledgement', async () => {
    const attendee = await services.auth.user('attendee');
    const client = await connect();
    expect(await client.subscribe(`user:${attendee.userId}`, 0)).toMatchObject({ code: 'forbidden' });
    client.send({ op: 'auth', token: 'not-a-token' });
    expect(await client.next((frame) => frame.type === 'error')).toMatchObject({ code: 'unauthorized' });
    client.send({ op: 'auth', token: await services.auth.tokenFor(attendee) });
    expect(await client.next((frame) => frame.type === 'authenticated')).toMatchObject({
      data: { userId: attendee.userId, role: 'attendee' },
    });
    expect(await client.subscribe(`user:${attendee.userId}`, 0)).toMatchObject({ type: 'subscribed' });
  });

  it('refuses an access token in the URL, even a valid one, at the upgrade', async () => {
    const attendee = await services.auth.user('attendee');
    const token = await services.auth.tokenFor(attendee);

    await expect(TestClient.connect(`${url}?token=${token}`)).rejects.toThrow('400');
    await expect(TestClient.connect(`${url}?token=forged`)).rejects.toThrow('400');
  });

  it('refuses foreign origins and other paths at the upgrade', async () => {
    await expect(TestClient.connect(url, { origin: 'https://evil.example' })).rejects.toThrow('403');
    await expect(TestClient.connect(url.replace('/ws', '/elsewhere'))).rejects.toThrow('404');
    const sameHost = await connect('', { origin: new URL(url.replace('ws:', 'http:')).origin });
    expect(sameHost.isOpen).toBe(true);
  });

  it('answers malformed frames, limits subscriptions per socket and closes on oversized frames', async () => {
    const attendee = await services.auth.user('attendee');
    const organizer = await services.auth.user('organizer');
    const events = await Promise.all([1, 2].map(() => publishedEventWithTickets(services.transport, organizer.userId)));
    const client = await connectAs(attendee);
    client.socket.send('{not json');
    expect(await client.next((frame) => frame.type === 'error')).toMatchObject({ code: 'validation_failed' });
    client.send({ op: 'subscribe', channel: 'events:everything' });
    expect(await client.next((frame) => frame.type === 'error')).toMatchObject({ code: 'validation_failed' });

    await client.subscribe(`user:${attendee.userId}`);
    for (const { eventId } of events) await client.subscribe(`event:${eventId}`);
    const extra = await publishedEventWithTickets(services.transport, organizer.userId);
    expect(await client.subscribe(`event:${extra.eventId}`, 0)).toMatchObject({
      code: 'too_many_subscriptions',
      channel: `event:${extra.eventId}`,
    });
    client.send({ op: 'unsubscribe', channel: `user:${attendee.userId}` });
    expect(await client.subscribe(`event:${extra.eventId}`)).toMatchObject({ type: 'subscribed' });

    client.socket.send(JSON.stringify({ op: 'subscribe', channel: 'x'.repeat(32 * 1024) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('drops a client that stops answering pings', async () => {
    const client = await connect();
    client.socket.on('error', () => {});
    const socket = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    await eventually(
      async () => (await services.app.inject({ method: 'GET', url: '/metrics' })).body,
      (body) => /realtime_clients_dropped_total\{reason="heartbeat"[^}]*\} [1-9]/.test(body),
    );
    socket.resume();
    await client.closed;
  });

  it('reports connections, subscriptions, messages and commit-to-send lag', async () => {
    const metrics = (await services.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/realtime_connections\{?[^\n]* \d+/);
    expect(metrics).toContain('realtime_subscriptions');
    expect(metrics).toMatch(/realtime_messages_sent_total\{kind="event"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/realtime_commit_to_send_seconds_count\{kind="event"[^}]*\} [1-9]/);
    expect(metrics).toContain('realtime_messages_dropped_total');
  });
});
