/** What one account holds of one event, and how its recent holds there ended. */
export interface AccountHoldings {
  /** Tickets in the account's pending and confirmed registrations for the event. */
  tickets: number;
  pendingHolds: number;
  /** When the earliest of those pending holds ends. */
  nextHoldExpiry: Date | null;
  /** Holds of the account for the event that expired unpaid within the policy's window. */
  recentExpiries: number;
  lastExpiry: Date | null;
}

/**
 * Limits on unpaid holds, so a few accounts cannot keep an event sold out with rolling holds: at
 * most `maxPendingHolds` at once per event, and after `cooldownAfterExpiries` holds expired within
 * `cooldownWindowMinutes`, the next waits until `cooldownMinutes` after the last expiry.
 */
export interface HoldPolicy {
  maxPendingHolds: number;
  cooldownAfterExpiries: number;
  cooldownWindowMinutes: number;
  cooldownMinutes: number;
}

export const defaultHoldPolicy: HoldPolicy = {
  maxPendingHolds: 2,
  cooldownAfterExpiries: 3,
  cooldownWindowMinutes: 60,
  cooldownMinutes: 30,
};

export type AccountRefusal =
  | { reason: 'ticket_limit'; limit: number; held: number }
  | { reason: 'too_many_holds'; retryAt: Date }
  | { reason: 'hold_cooldown'; retryAt: Date };

/** Expiries at or after this instant count towards the cooldown. */
export function cooldownWindowStart(policy: HoldPolicy, now: Date): Date {
  return new Date(now.getTime() - policy.cooldownWindowMinutes * 60_000);
}

/** Why this account may not place this order for the event, if it may not. */
export function accountRefusal(
  holdings: AccountHoldings,
  order: { quantity: number; paid: boolean },
  maxTicketsPerAccount: number | null,
  policy: HoldPolicy,
  now: Date,
): AccountRefusal | undefined {
  if (maxTicketsPerAccount !== null && holdings.tickets + order.quantity > maxTicketsPerAccount) {
    return { reason: 'ticket_limit', limit: maxTicketsPerAccount, held: holdings.tickets };
  }
  if (!order.paid) return undefined;
  if (holdings.recentExpiries >= policy.cooldownAfterExpiries && holdings.lastExpiry) {
    const retryAt = new Date(holdings.lastExpiry.getTime() + policy.cooldownMinutes * 60_000);
    if (retryAt > now) return { reason: 'hold_cooldown', retryAt };
  }
  if (holdings.pendingHolds >= policy.maxPendingHolds) {
    return { reason: 'too_many_holds', retryAt: holdings.nextHoldExpiry ?? now };
  }
  return undefined;
}
