import { setImmediate as nextTurn } from 'node:timers/promises';
import { createMetricsRegistry } from '@echoplex/telemetry';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createRealtimeMetrics } from '../src/metrics';
import { ChannelHub } from '../src/socket/channel-hub';
import { ClientConnection } from '../src/socket/client-connection';
import { decodeTextFrames } from './support/text-frames';

/** A socket whose every write takes `writeMs` of the hub's clock, as a real socket write takes CPU time. */
class TimedSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly writes: { type: string; version: number }[][] = [];
  constructor(private readonly clock: { time: number; writeMs: number }) {}
  write(bytes: Buffer): boolean {
    this.clock.time += this.clock.writeMs;
    this.writes.push(decodeTextFrames(bytes) as { type: string; version: number }[]);
    return true;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function setup(chunkSize: number, writeMs = 0, maxBatchBytes = 64 * 1024) {
  const clock = { time: 0, writeMs };
  const hub = new ChannelHub(createRealtimeMetrics(createMetricsRegistry()), {
    chunkSize,
    fanoutShare: 0.5,
    maxBatchBytes,
    now: () => clock.time,
  });
  const channel = 'event:e1';
  const join = () => {
    const socket = new TimedSocket(clock);
    const client = new ClientConnection(
      socket as unknown as WebSocket,
      socket,
      1024 * 1024,
      { perSecond: 20, burst: 100 },
      () => {},
    );
    hub.add(client, channel, 'event');
    return Object.assign(socket, { client });
  };
  const send = (version: number, key?: string, data: object = {}) =>
    hub.broadcast({ channel, type: key ? 'availability' : 'event.updated', data, version }, undefined, key);
  /** Lets the fan-out under way finish its remaining chunks. */
  const settle = async () => {
    for (let turn = 0; turn < 20; turn++) await nextTurn();
  };
  return { clock, hub, channel, join, send, settle };
}

describe('ChannelHub', () => {
  it('evicts the subscribers refused, who get nothing more, not even from a fan-out under way', async () => {
    const { hub, channel, join, send, settle } = setup(1);
    const [staying, leaving] = [join(), join()];
    send(1);

    expect(hub.evict(channel, (client) => client === staying.client)).toEqual([leaving.client]);
    await settle();
    send(2);
    await settle();

    expect(staying.writes.flat().map((message) => message.version)).toEqual([1, 2]);
    expect(leaving.writes).toEqual([]);
    expect(leaving.client.subscriptions.has(channel)).toBe(false);
  });

  it('sends messages queued during a fan-out together, one write per subscriber, in order', async () => {
    const { join, send, settle } = setup(1);
    const sockets = [join(), join(), join()];
    send(1);
    // The first fan-out has written to one socket and yielded; these three wait for it.
    send(2);
    send(3);
    send(4);
    await settle();
    for (const socket of sockets) {
      expect(socket.writes.map((write) => write.map((frame) => frame.version))).toEqual([[1], [2, 3, 4]]);
    }
  });

  it('gives a subscriber who joins while messages wait only the messages queued after it joined', async () => {
    const { join, send, settle } = setup(1);
    const early = [join(), join()];
    send(1);
    send(2);
    const late = join();
    send(3);
    await settle();
    expect(early[0]?.writes.flat().map((frame) => frame.version)).toEqual([1, 2, 3]);
    expect(late.writes.map((write) => write.map((frame) => frame.version))).toEqual([[3]]);
  });

  it('holds a key while its message is on its way, then for as long again as the fan-out kept the process busy', async () => {
    const { clock, hub, channel, join, send, settle } = setup(2, 1);
    for (let i = 0; i < 4; i++) join();
    send(1, 'ticket-a');
    // Two of four sockets written (2 ms), the rest wait for the next turn.
    expect(hub.readyFor(channel, 'ticket-a')).toBe(false);
    expect(hub.readyFor(channel, 'ticket-b')).toBe(true);
    await settle();
    // Busy 4 ms from t=0 with a share of one half: the key may go again at t=8.
    expect(clock.time).toBe(4);
    expect(hub.readyFor(channel, 'ticket-a')).toBe(false);
    clock.time = 7.9;
    expect(hub.readyFor(channel, 'ticket-a')).toBe(false);
    clock.time = 8;
    expect(hub.readyFor(channel, 'ticket-a')).toBe(true);
  });

  it('writes a long queue in batches of at most maxBatchBytes, so no client looks slow because of it', async () => {
    const { join, send, settle } = setup(1, 0, 300);
    const sockets = [join(), join()];
    send(1);
    const name = 'x'.repeat(100);
    for (let version = 2; version <= 7; version++) send(version, undefined, { name });
    await settle();
    for (const socket of sockets) {
      const writes = socket.writes.map((write) => write.map((frame) => frame.version));
      expect(writes.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(writes.length).toBeGreaterThan(2);
      expect(socket.readyState).toBe(1);
    }
  });

  it('lets the next fan-out use only what is left of the turn’s budget', async () => {
    const { join, send, settle } = setup(3);
    const sockets = [join(), join(), join(), join()];
    send(1);
    send(2);
    send(3);
    // Turn one wrote message 1 to three sockets; turn two writes it to the fourth, then 2 and 3 to two more.
    await nextTurn();
    expect(sockets.map((socket) => socket.writes.length)).toEqual([2, 2, 1, 1]);
    await settle();
    expect(sockets.map((socket) => socket.writes.length)).toEqual([2, 2, 2, 2]);
  });

  it('gives a client that subscribes again only what is queued after its new snapshot', async () => {
    const { hub, channel, join, send, settle } = setup(1);
    const first = join();
    const again = join();
    send(1);
    send(2);
    // `again` subscribes anew and gets a snapshot covering 1 and 2, before they reached it.
    hub.add(again.client, channel, 'event');
    send(3);
    await settle();
    expect(first.writes.flat().map((frame) => frame.version)).toEqual([1, 2, 3]);
    expect(again.writes.flat().map((frame) => frame.version)).toEqual([3]);
  });

  it('refuses a fan-out share outside (0, 1]', () => {
    const metrics = createRealtimeMetrics(createMetricsRegistry());
    for (const fanoutShare of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ChannelHub(metrics, { chunkSize: 10, fanoutShare, maxBatchBytes: 1024 })).toThrow();
    }
  });
});
