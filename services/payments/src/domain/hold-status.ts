export type HoldStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

/** A hold can be paid while ticketing still keeps its seats for it. */
export function isAwaitingPayment(hold: { status: HoldStatus; amount: number; expiresAt: Date | null }, now: Date) {
  return hold.status === 'pending' && hold.amount > 0 && (hold.expiresAt === null || hold.expiresAt > now);
}
