import { describe, expect, it } from 'vitest';
import {
  canCancel,
  canFail,
  canSucceed,
  isRefundable,
  type PaymentStatus,
  publicStatus,
  statusAfterRefunds,
} from '../src/domain/payment-status';

const all: PaymentStatus[] = ['pending', 'failed', 'canceled', 'succeeded', 'partially_refunded', 'refunded'];
const allowed = (rule: (status: PaymentStatus) => boolean) => all.filter(rule);

describe('payment status transitions', () => {
  it('records a success from every state short of captured money', () => {
    expect(allowed(canSucceed)).toEqual(['pending', 'failed', 'canceled']);
  });

  it('ignores a decline or cancel once the payment succeeded or was refunded', () => {
    expect(allowed(canFail)).toEqual(['pending', 'failed']);
    expect(allowed(canCancel)).toEqual(['pending', 'failed']);
  });

  it('refunds only captured money that is not all refunded yet', () => {
    expect(allowed(isRefundable)).toEqual(['succeeded', 'partially_refunded']);
  });

  it('derives the status from the refunded total', () => {
    expect(statusAfterRefunds(2500, 0)).toBe('succeeded');
    expect(statusAfterRefunds(2500, 1)).toBe('partially_refunded');
    expect(statusAfterRefunds(2500, 2500)).toBe('refunded');
  });

  it('shows a canceled payment as failed, as API.md lists the statuses', () => {
    expect(all.map(publicStatus)).toEqual([
      'pending',
      'failed',
      'failed',
      'succeeded',
      'partially_refunded',
      'refunded',
    ]);
  });
});
