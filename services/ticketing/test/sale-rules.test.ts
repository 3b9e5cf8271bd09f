import { describe, expect, it } from 'vitest';
import {
  type AccountHoldings,
  accountRefusal,
  cooldownWindowStart,
  type HoldPolicy,
} from '../src/domain/account-limits';
import { selfServiceCancelRefusal, selfServiceRefundDeadline } from '../src/domain/refund-window';

const at = (iso: string) => new Date(`2027-03-01T${iso}Z`);

describe('self-service cancellation', () => {
  const event = { startTime: at('18:00:00'), selfServiceRefundUntil: at('12:00:00') };
  const paid = { status: 'confirmed' as const, amount: 2500 };
  const free = { status: 'confirmed' as const, amount: 0 };
  const hold = { status: 'pending' as const, amount: 2500 };

  it("ends refunds at the organizer's deadline, or at the start when none is set", () => {
    expect(selfServiceRefundDeadline(event)).toEqual(at('12:00:00'));
    expect(selfServiceRefundDeadline({ ...event, selfServiceRefundUntil: null })).toEqual(at('18:00:00'));
    expect(selfServiceCancelRefusal(paid, false, event, at('11:59:59'))).toBeUndefined();
    expect(selfServiceCancelRefusal(paid, false, event, at('12:00:00'))).toBe('refund_window_closed');
    const byStart = { ...event, selfServiceRefundUntil: null };
    expect(selfServiceCancelRefusal(paid, false, byStart, at('17:59:59'))).toBeUndefined();
    expect(selfServiceCancelRefusal(paid, false, byStart, at('18:00:00'))).toBe('refund_window_closed');
  });

  it('refuses any registration with a checked-in ticket; holds and unused free ones can always go', () => {
    expect(selfServiceCancelRefusal(paid, true, event, at('09:00:00'))).toBe('refund_window_closed');
    expect(selfServiceCancelRefusal(free, true, event, at('09:00:00'))).toBe('refund_window_closed');
    expect(selfServiceCancelRefusal(free, false, event, at('20:00:00'))).toBeUndefined();
    expect(selfServiceCancelRefusal(hold, false, event, at('13:00:00'))).toBeUndefined();
  });
});

describe('limits per account and event', () => {
  const policy: HoldPolicy = {
    maxPendingHolds: 2,
    cooldownAfterExpiries: 3,
    cooldownWindowMinutes: 60,
    cooldownMinutes: 30,
  };
  const none: AccountHoldings = {
    tickets: 0,
    pendingHolds: 0,
    nextHoldExpiry: null,
    recentExpiries: 0,
    lastExpiry: null,
  };
  const now = at('10:00:00');
  const paidOrder = { quantity: 1, paid: true };

  it('keeps the tickets of active registrations within maxTicketsPerAccount, for free orders too', () => {
    const holding = { ...none, tickets: 3 };
    expect(accountRefusal(holding, { quantity: 1, paid: false }, 4, policy, now)).toBeUndefined();
    expect(accountRefusal(holding, { quantity: 2, paid: false }, 4, policy, now)).toEqual({
      reason: 'ticket_limit',
      limit: 4,
      held: 3,
    });
    expect(accountRefusal({ ...none, tickets: 400 }, { quantity: 9, paid: true }, null, policy, now)).toBeUndefined();
  });

  it('caps pending holds, to be retried when the earliest ends', () => {
    const holding = { ...none, pendingHolds: 2, nextHoldExpiry: at('10:04:00') };
    expect(accountRefusal({ ...holding, pendingHolds: 1 }, paidOrder, null, policy, now)).toBeUndefined();
    expect(accountRefusal(holding, paidOrder, null, policy, now)).toEqual({
      reason: 'too_many_holds',
      retryAt: at('10:04:00'),
    });
    expect(accountRefusal(holding, { quantity: 1, paid: false }, null, policy, now)).toBeUndefined();
  });

  it('makes an account wait after repeated expiries within the window, until the cooldown after the last', () => {
    const expired = { ...none, recentExpiries: 3, lastExpiry: at('09:50:00') };
    expect(accountRefusal(expired, paidOrder, null, policy, now)).toEqual({
      reason: 'hold_cooldown',
      retryAt: at('10:20:00'),
    });
    expect(accountRefusal(expired, paidOrder, null, policy, at('10:20:00'))).toBeUndefined();
    expect(accountRefusal({ ...expired, recentExpiries: 2 }, paidOrder, null, policy, now)).toBeUndefined();
    expect(accountRefusal(expired, { quantity: 1, paid: false }, null, policy, now)).toBeUndefined();
    expect(cooldownWindowStart(policy, now)).toEqual(at('09:00:00'));
  });
});
