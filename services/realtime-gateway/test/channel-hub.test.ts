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

function setup(chunkSize: number, writeMs = 0) {
  const clock = { time: 0, writeMs };
  const hub = new ChannelHub(createRealtimeMetrics(createMetricsRegistry()), {
    chunkSize,
    fanoutShare: 0.5,
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
    return socket;
  };
  const send = (version: number, key?: string) =>
    hub.broadcast({ channel, type: key ? 'availability' : 'event.updated', data: {}, version }, undefined, key);
  /** Lets the fan-out under way finish its remaining chunks. */
  const settle = async () => {
    for (let turn = 0; turn < 20; turn++) await nextTurn();
  };
  return { clock, hub, channel, join, send, settle };
}

describe('ChannelHub', () => {
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
});
