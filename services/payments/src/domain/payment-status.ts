/**
 * A payment only moves forward: pending → failed (retryable) / canceled / succeeded → partially
 * refunded → refunded. Webhooks arrive duplicated and out of order, so every transition is checked
 * against this order instead of trusting the latest event.
 */
export type PaymentStatus = 'pending' | 'failed' | 'canceled' | 'succeeded' | 'partially_refunded' | 'refunded';
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** What the API shows: `canceled` is a failed payment that can no longer be retried. */
export type PublicPaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

const captured: PaymentStatus[] = ['succeeded', 'partially_refunded', 'refunded'];

/** Money was taken; nothing that arrives later can make this payment not have happened. */
export function isCaptured(status: PaymentStatus): boolean {
  return captured.includes(status);
}

/** A success is recorded from any state short of captured: even a canceled intent's late success counts. */
export function canSucceed(status: PaymentStatus): boolean {
  return !isCaptured(status);
}

/** A decline only matters while the payment is still open; a late one after success is ignored. */
export function canFail(status: PaymentStatus): boolean {
  return status === 'pending' || status === 'failed';
}

export function canCancel(status: PaymentStatus): boolean {
  return status === 'pending' || status === 'failed';
}

export function isRefundable(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'partially_refunded';
}

export function statusAfterRefunds(amount: number, refundedAmount: number): PaymentStatus {
  if (refundedAmount >= amount) return 'refunded';
  return refundedAmount > 0 ? 'partially_refunded' : 'succeeded';
}

export function publicStatus(status: PaymentStatus): PublicPaymentStatus {
  return status === 'canceled' ? 'failed' : status;
}
