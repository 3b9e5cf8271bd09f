import { describe, expect, it } from 'vitest';
import { availabilityReducer, initialAvailability, type LiveAvailability } from './availability';
import type { ChannelMessage } from './realtime-client';

const channel = 'event:e1';
const snapshot = (
  version: number,
  ticketTypes: { id: string; available: number; version: number }[],
  extra = {},
): ChannelMessage => ({
  channel,
  type: 'snapshot',
  version,
  data: {
    eventId: 'e1',
    status: 'published',
    capacity: 100,
    available: ticketTypes.reduce((sum, ticketType) => sum + ticketType.available, 0),
    soldOut: false,
    ticketTypes: ticketTypes.map((ticketType) => ({
      ...ticketType,
      status: ticketType.available > 0 ? 'on_sale' : 'sold_out',
    })),
    ...extra,
  },
});
const availability = (
  version: number,
  ticketTypeId: string,
  available: number,
  ticketVersion: number,
  removed = false,
): ChannelMessage => ({
  channel,
  type: 'availability',
  version,
  data: {
    ticketTypeId,
    available,
    status: available > 0 ? 'on_sale' : 'sold_out',
    version: ticketVersion,
    ...(removed ? { removed } : {}),
  },
});
const fold = (messages: ChannelMessage[], from: LiveAvailability = initialAvailability) =>
  messages.reduce(availabilityReducer, from);

describe('availabilityReducer', () => {
  it('takes the snapshot, then follows newer availability messages', () => {
    const state = fold([
      snapshot(10, [
        { id: 'free', available: 50, version: 3 },
        { id: 'paid', available: 20, version: 7 },
      ]),
      availability(11, 'paid', 19, 8),
    ]);
    expect(state.live).toBe(true);
    expect(state.channelVersion).toBe(11);
    expect(state.ticketTypes.paid).toMatchObject({ available: 19, version: 8 });
    expect(state.ticketTypes.free).toMatchObject({ available: 50, version: 3 });
  });

  it('ignores channel messages at or below the version it already has', () => {
    const afterSnapshot = fold([
      snapshot(10, [{ id: 'paid', available: 20, version: 7 }]),
      availability(12, 'paid', 18, 9),
    ]);
    const replayed = fold([availability(12, 'paid', 5, 10), availability(11, 'paid', 19, 8)], afterSnapshot);
    expect(replayed).toBe(afterSnapshot);
    expect(replayed.ticketTypes.paid?.available).toBe(18);
  });

  it('ignores an availability older than the ticket type it holds, even on a newer channel version', () => {
    // Two gateway instances number the channel differently; ticketing's per-ticket-type version decides.
    const state = fold([snapshot(10, [{ id: 'paid', available: 18, version: 9 }]), availability(11, 'paid', 19, 8)]);
    expect(state.ticketTypes.paid).toMatchObject({ available: 18, version: 9 });
    expect(state.channelVersion).toBe(11);
  });

  it('keeps a ticket type held at a higher version when a reconnect snapshot is behind', () => {
    const before = fold([snapshot(10, [{ id: 'paid', available: 20, version: 7 }]), availability(11, 'paid', 0, 12)]);
    const reconnected = availabilityReducer(
      before,
      snapshot(3, [
        { id: 'paid', available: 4, version: 10 },
        { id: 'vip', available: 2, version: 1 },
      ]),
    );
    expect(reconnected.ticketTypes.paid).toMatchObject({ available: 0, version: 12 });
    expect(reconnected.ticketTypes.vip).toMatchObject({ available: 2 });
  });

  it('is sold out when every ticket type reaches zero, and not before', () => {
    const first = fold([
      snapshot(1, [
        { id: 'free', available: 1, version: 1 },
        { id: 'paid', available: 1, version: 1 },
      ]),
      availability(2, 'free', 0, 2),
    ]);
    expect(first.soldOut).toBe(false);
    expect(availabilityReducer(first, availability(3, 'paid', 0, 2)).soldOut).toBe(true);
  });

  it('marks deleted ticket types so a late message cannot bring them back', () => {
    const state = fold([
      snapshot(1, [
        { id: 'free', available: 5, version: 1 },
        { id: 'paid', available: 0, version: 1 },
      ]),
      availability(2, 'free', 0, 2, true),
      availability(3, 'free', 5, 1),
    ]);
    expect(state.ticketTypes.free?.removed).toBe(true);
    expect(state.soldOut).toBe(true);
  });

  it('follows event status changes in order', () => {
    const state = fold([
      snapshot(1, [{ id: 'paid', available: 5, version: 1 }]),
      { channel, type: 'event.status', version: 3, data: { status: 'cancelled', soldOut: false } },
      { channel, type: 'event.status', version: 2, data: { status: 'published', soldOut: false } },
    ]);
    expect(state.status).toBe('cancelled');
  });
});
