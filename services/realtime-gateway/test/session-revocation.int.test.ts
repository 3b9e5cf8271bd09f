import { randomUUID } from 'node:crypto';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { publishEvent, publishedEventWithTickets } from './support/bus';
import { listen } from './support/gateway';
import { TestClient } from './support/ws-client';

// Real: PostgreSQL, the gateway on a real port, `ws` clients, the in-process bus of embedded mode.
// Identity is played by publishing session.revoked on the bus, as its relay would.
describe('realtime gateway when a session ends', () => {
  let services: TestServices;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await TestClient.signedIn(url, token);
    clients.push(client);
    return client;
  };
  const revoke = (userId: string, sessionIds: string[]) =>
    publishEvent(services.transport, 'identity.session.v1', 'session.revoked', userId, {
      userId,
      sessionIds,
      reason: 'logout',
      accessTokensExpireBy: new Date(Date.now() + 16 * 60_000).toISOString(),
    });

  beforeAll(async () => {
    services = await startServicesForTests([createRealtimeService()]);
    url = await listen(services.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await services?.close();
  });

  it('closes the private channels of that session’s sockets, keeps their public ones and other sessions’ sockets', async () => {
    const organizer = await services.auth.user('organizer');
    const { eventId } = await publishedEventWithTickets(services.transport, organizer.userId);
    const [ended, kept] = [randomUUID(), randomUUID()];
    const endedToken = await services.auth.tokenFor({ ...organizer, sessionId: ended });
    const signedOut = await connect(endedToken);
    const otherDevice = await connect(await services.auth.tokenFor({ ...organizer, sessionId: kept }));
    for (const client of [signedOut, otherDevice]) {
      expect(await client.subscribe(`user:${organizer.userId}`, 0)).toMatchObject({ type: 'subscribed' });
      expect(await client.subscribe(`organizer:${eventId}`)).toMatchObject({ type: 'subscribed' });
      expect(await client.subscribe(`event:${eventId}`)).toMatchObject({ type: 'subscribed' });
    }

    await revoke(organizer.userId, [ended]);

    for (const channel of [`user:${organizer.userId}`, `organizer:${eventId}`]) {
      expect(await signedOut.next((frame) => frame.channel === channel && frame.type === 'error')).toMatchObject({
        code: 'unauthorized',
      });
    }
    expect(signedOut.isOpen).toBe(true);
    // Signed out now: private channels are refused, the public one is still there.
    expect(await signedOut.subscribe(`user:${organizer.userId}`, 0)).toMatchObject({ code: 'forbidden' });
    signedOut.send({ op: 'unsubscribe', channel: `event:${eventId}` });
    expect(
      await signedOut.next((frame) => frame.channel === `event:${eventId}` && frame.type === 'unsubscribed'),
    ).toBeTruthy();
    // The other session's socket still listens: a re-subscription answers at once, with no error before it.
    expect(await otherDevice.subscribe(`user:${organizer.userId}`, 0)).toMatchObject({ type: 'subscribed' });
    expect(otherDevice.frames.filter((frame) => frame.type === 'error')).toEqual([]);
  });

  it('refuses the ended session’s token in the auth frame of a new socket and of an open one', async () => {
    const attendee = await services.auth.user('attendee');
    const sessionId = randomUUID();
    const token = await services.auth.tokenFor({ ...attendee, sessionId });
    const before = await connect(token);

    await revoke(attendee.userId, [sessionId]);

    // The revocation travels through the bus: the refusal follows within moments.
    const signIn = async () => {
      const client = await TestClient.connect(url);
      const answer = await client.authenticate(token);
      client.close();
      return answer;
    };
    expect(await eventually(signIn, (answer) => answer.type === 'error', 5_000)).toMatchObject({
      code: 'unauthorized',
    });
    before.send({ op: 'auth', token });
    expect(await before.next((frame) => frame.type === 'error')).toMatchObject({ code: 'unauthorized' });
  });
});
