import type Stripe from 'stripe';

/**
 * What is kept of a Stripe event: enough to apply it, and no card details. Stripe's events about
 * declined payments carry the card's brand, last digits and expiry; none of that is ours to store.
 */
export function summarizeStripeEvent(event: Stripe.Event) {
  const object = event.data.object as unknown as Record<string, unknown>;
  return { id: event.id, type: event.type, created: event.created, data: { object: summarizeObject(object) } };
}

function summarizeObject(object: Record<string, unknown>) {
  const pick = (...names: string[]) => Object.fromEntries(names.map((name) => [name, object[name] ?? null]));
  if (object.object === 'payment_intent') {
    const error = object.last_payment_error as Record<string, unknown> | null;
    return {
      ...pick('id', 'object', 'amount', 'currency', 'status', 'metadata', 'latest_charge'),
      last_payment_error: error
        ? { code: error.code ?? null, decline_code: error.decline_code ?? null, message: error.message ?? null }
        : null,
    };
  }
  if (object.object === 'charge') {
    return pick('id', 'object', 'amount', 'amount_refunded', 'refunded', 'currency', 'payment_intent', 'metadata');
  }
  return pick('id', 'object');
}
