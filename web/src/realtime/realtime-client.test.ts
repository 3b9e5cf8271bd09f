import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../testing/fake-gateway';
import { type ChannelMessage, RealtimeClient } from './realtime-client';

describe('RealtimeClient', () => {
  beforeEach(() => {
    FakeSocket.opened.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const client = (token: string | null = 'access-1') =>
    new RealtimeClient({
      url: 'ws://echoplex.test/ws',
      accessToken: () => token,
      openSocket: (url) => new FakeSocket(url),
      backoffMs: (attempt) => 100 * 2 ** attempt,
    });

  it('connects without the token in the URL, sends it first once open, then subscribes', () => {
    const realtime = client();
    const received: ChannelMessage[] = [];
    realtime.subscribe('event:e1', (message) => received.push(message));

    const socket = FakeSocket.opened[0]!;
    expect(socket.url).toBe('ws://echoplex.test/ws');
    socket.open();
    expect(socket.sent).toEqual([
      { op: 'auth', token: 'access-1' },
      { op: 'subscribe', channel: 'event:e1' },
    ]);

    socket.push({ channel: 'event:e1', type: 'snapshot', version: 1, data: { ticketTypes: [] } });
    socket.push({ channel: 'event:other', type: 'snapshot', version: 1, data: { ticketTypes: [] } });
    expect(received.map((message) => message.channel)).toEqual(['event:e1']);
  });

  it('stays anonymous without a token', () => {
    client(null).subscribe('event:e1', () => {});
    const socket = FakeSocket.opened[0]!;
    socket.open();

    expect(socket.url).toBe('ws://echoplex.test/ws');
    expect(socket.sent).toEqual([{ op: 'subscribe', channel: 'event:e1' }]);
  });

  it('reconnects with growing backoff and subscribes to every channel again', () => {
    const realtime = client();
    realtime.subscribe('event:e1', () => {});
    realtime.subscribe('organizer:e1', () => {});
    FakeSocket.opened[0]!.open();

    FakeSocket.opened[0]!.drop();
    expect(realtime.connectionState).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(FakeSocket.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.opened).toHaveLength(2);

    FakeSocket.opened[1]!.drop();
    vi.advanceTimersByTime(199);
    expect(FakeSocket.opened).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const third = FakeSocket.opened[2]!;
    third.open();
    expect(realtime.connectionState).toBe('open');
    expect(third.sent[0]).toEqual({ op: 'auth', token: 'access-1' });
    expect(third.subscriptions().sort()).toEqual(['event:e1', 'organizer:e1']);
  });

  it('closes the socket when the last listener leaves', () => {
    const realtime = client();
    const stop = realtime.subscribe('event:e1', () => {});
    const socket = FakeSocket.opened[0]!;
    socket.open();
    stop();
    expect(socket.sent.at(-1)).toEqual({ op: 'unsubscribe', channel: 'event:e1' });
    expect(socket.readyState).toBe(3);
    expect(realtime.connectionState).toBe('idle');
  });

  it('re-authenticates with a refreshed token and resubscribes channels the old token lost', () => {
    const realtime = client();
    realtime.subscribe('user:u1', () => {});
    const socket = FakeSocket.opened[0]!;
    socket.open();
    socket.push({ type: 'error', code: 'unauthorized', channel: 'user:u1' });

    realtime.authenticate('access-2');
    expect(socket.sent.at(-1)).toEqual({ op: 'auth', token: 'access-2' });
    socket.push({ type: 'authenticated', data: { userId: 'u1', role: 'attendee' } });
    expect(socket.sent.at(-1)).toEqual({ op: 'subscribe', channel: 'user:u1' });
  });
});
