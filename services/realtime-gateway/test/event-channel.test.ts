import { randomUUID } from 'node:crypto';
import { createMetricsRegistry } from '@echoplex/telemetry';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EventChannelFeed } from '../src/feeds/event-channel.feed';
import { createRealtimeMetrics } from '../src/metrics';
import { ChannelVersions } from '../src/model/channel-versions';
import { EventDirectory } from '../src/model/event-directory';
import { TicketBoard } from '../src/model/ticket-board';
import { ChannelHub } from '../src/socket/channel-hub';
import { ClientConnection } from '../src/socket/client-connection';
import { eventState } from './support/bus';
import { ManualScheduler } from './support/manual-scheduler';
import { decodeTextFrames } from './support/text-frames';

/** Stands in for a `ws` socket and its TCP socket at the edge: records frames, reports a backlog the test chooses. */
class RecordingSocket {
  readyState = 1;
  bufferedAmount = 0;
  writes = 0;
  readonly frames: { channel: string; type: string; data: any; version: number }[] = [];
  write(bytes: Buffer): boolean {
    this.writes++;
    this.frames.push(...(decodeTextFrames(bytes) as RecordingSocket['frames']));
    return true;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function setup() {
  const scheduler = new ManualScheduler();
  const metrics = createRealtimeMetrics(createMetricsRegistry());
  const board = new TicketBoard();
  const directory = new EventDirectory();
  const hub = new ChannelHub(metrics, {
    chunkSize: 500,
    fanoutShare: 0.5,
    maxBatchBytes: 256 * 1024,
    now: () => scheduler.now(),
  });
  const versions = new ChannelVersions();
  const feed = new EventChannelFeed({ board, directory, hub, versions, coalesceMs: 50, scheduler, clock: () => 0 });
  const event = eventState({ organizerId: randomUUID() });
  feed.eventChanged('event.published', event, new Date().toISOString());
  const ticketTypeId = randomUUID();
  const availability = (available: number, version: number) =>
    feed.availabilityChanged(
      { eventId: event.eventId, ticketTypeId, available, quantity: 10, version },
      new Date().toISOString(),
    );
  const subscribe = (maxBufferedBytes = 1024 * 1024) => {
    const socket = new RecordingSocket();
    const client = new ClientConnection(
      socket as unknown as WebSocket,
      socket,
      maxBufferedBytes,
      { perSecond: 20, burst: 100 },
      () => {},
    );
    hub.add(client, `event:${event.eventId}`, 'event');
    socket.frames.push(feed.snapshot(event.eventId) as never);
    return socket;
  };
  return { scheduler, metrics, feed, availability, subscribe, ticketTypeId, event };
}

describe('the event channel', () => {
  it('sends the first change at once and the latest of a burst at the end of the window, versions rising', () => {
    const { scheduler, availability, subscribe } = setup();
    availability(10, 1);
    const socket = subscribe();
    availability(9, 2);
    availability(8, 3);
    availability(7, 4);
    expect(socket.frames.map((frame) => frame.type)).toEqual(['snapshot', 'availability']);
    scheduler.advance(50);

    const [snapshot, first, last] = socket.frames;
    expect(snapshot?.data.ticketTypes).toEqual([expect.objectContaining({ available: 10, version: 1 })]);
    expect(first?.data).toMatchObject({ available: 9, version: 2 });
    expect(last?.data).toMatchObject({ available: 7, version: 4 });
    expect(socket.frames).toHaveLength(3);
    expect(first?.version).toBeGreaterThan(snapshot?.version as number);
    expect(last?.version).toBeGreaterThan(first?.version as number);
  });

  it('gives a subscriber who joins mid-burst a snapshot of what was shown, then the newer value', () => {
    const { scheduler, availability, subscribe } = setup();
    const early = subscribe();
    availability(9, 1);
    availability(8, 2);
    const late = subscribe();
    scheduler.advance(50);
    const [snapshot, update] = late.frames;
    expect(snapshot?.data.ticketTypes).toEqual([expect.objectContaining({ available: 9, version: 1 })]);
    expect(update).toMatchObject({ type: 'availability', data: { available: 8, version: 2 } });
    expect(update?.version).toBeGreaterThan(snapshot?.version as number);
    expect(early.frames.at(-1)).toEqual(update);
  });

  it('announces selling out and coming back after the availability that caused it', () => {
    const { availability, subscribe, scheduler } = setup();
    availability(1, 1);
    const socket = subscribe();
    availability(0, 2);
    scheduler.advance(100);
    availability(2, 3);
    const types = socket.frames.map((frame) => [frame.type, frame.data.soldOut ?? frame.data.available]);
    expect(types).toEqual([
      ['snapshot', false],
      ['availability', 0],
      ['event.status', true],
      ['availability', 2],
      ['event.status', false],
    ]);
    const numbers = socket.frames.map((frame) => frame.version);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('drops a subscriber over its buffer limit and keeps serving the others', async () => {
    const { availability, subscribe, metrics } = setup();
    availability(10, 1);
    const slow = subscribe(1024);
    const healthy = subscribe(1024);
    slow.bufferedAmount = 1024;
    availability(9, 2);
    expect(slow.readyState).toBe(3);
    expect(healthy.frames.at(-1)).toMatchObject({ type: 'availability', data: { available: 9 } });
    expect(slow.frames.at(-1)?.type).toBe('snapshot');
    const dropped = await metrics.messagesDropped.get();
    expect(dropped.values).toEqual([expect.objectContaining({ labels: { reason: 'backpressure' }, value: 1 })]);
  });
});
