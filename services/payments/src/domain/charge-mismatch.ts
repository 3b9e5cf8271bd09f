/** Why a payment was set aside for a person to look at instead of being applied. */
export type PaymentFlag = 'amount_mismatch' | 'currency_mismatch';

interface Money {
  amount: number;
  currency: string;
}

/**
 * Compares what Stripe says it charged with what the payment asked for. A success for any other sum
 * is not a payment of this registration, whatever its metadata says: the hold's price is the truth.
 */
export function chargeMismatch(expected: Money, charged: Money): PaymentFlag | undefined {
  if (charged.currency !== expected.currency) return 'currency_mismatch';
  if (charged.amount !== expected.amount) return 'amount_mismatch';
  return undefined;
}
