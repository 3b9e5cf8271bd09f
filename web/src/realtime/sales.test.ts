import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './realtime-client';
import { initialSales, liveCheckIns, salesReducer } from './sales';

const channel = 'organizer:e1';
const totals = (version: number, checkIns: number, ticketsSold: number): ChannelMessage => ({
  channel,
  type: 'sales',
  version,
  data: {
    eventId: 'e1',
    currency: 'eur',
    registrations: { pending: 0, confirmed: ticketsSold, cancelled: 0, expired: 0 },
    ticketsSold,
    seatsHeld: 0,
    revenue: ticketsSold * 2500,
    checkIns,
    byTicketType: [],
  },
});
const checkin = (version: number, ticketId: string): ChannelMessage => ({
  channel,
  type: 'checkin',
  version,
  data: { ticketId, registrationId: 'r1', ticketTypeId: 't1', checkedInAt: '2027-03-01T18:00:00.000Z' },
});

describe('salesReducer', () => {
  it('counts a check-in at once and lets the next totals take over', () => {
    const afterCheckIn = [totals(1, 4, 10), checkin(2, 'ticket-a'), checkin(3, 'ticket-a')].reduce(
      (state, message) => salesReducer(state, message),
      initialSales,
    );
    expect(liveCheckIns(afterCheckIn)).toBe(5);
    const afterTotals = salesReducer(afterCheckIn, totals(4, 5, 10));
    expect(liveCheckIns(afterTotals)).toBe(5);
  });

  it('ignores repeats at or below the version it has (a resubscription replays totals)', () => {
    const state = [totals(5, 2, 3), totals(4, 1, 2), totals(5, 0, 0)].reduce(
      (current, message) => salesReducer(current, message),
      initialSales,
    );
    expect(state.totals?.ticketsSold).toBe(3);
  });

  it('accepts the totals of a new subscription even when that gateway instance numbers lower', () => {
    const before = [totals(40, 2, 3)].reduce((current, message) => salesReducer(current, message), initialSales);
    const after = [{ channel, type: 'subscribed', data: undefined } as ChannelMessage, totals(2, 3, 4)].reduce(
      (current, message) => salesReducer(current, message),
      before,
    );
    expect(after.totals?.ticketsSold).toBe(4);
  });

  it('keeps the newest activity first', () => {
    const registration: ChannelMessage = {
      channel,
      type: 'registration',
      version: 2,
      data: {
        registrationId: 'r9',
        status: 'confirmed',
        ticketTypeId: 't1',
        quantity: 1,
        amount: 2500,
        currency: 'eur',
      },
    };
    const state = [registration, checkin(3, 'ticket-b')].reduce(
      (current, message) => salesReducer(current, message, 0),
      initialSales,
    );
    expect(state.activity.map((entry) => entry.kind)).toEqual(['checkin', 'registration']);
  });
});
