import Stripe from 'stripe';

/**
 * Stripe answered and refused (a 4xx): retrying the same request changes nothing. Anything else —
 * a timeout, a dropped connection, a 5xx — may have worked or may work later, so it is retried.
 */
export function isStripeRefusal(error: unknown): error is Stripe.errors.StripeError {
  return (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError ||
    error instanceof Stripe.errors.StripeIdempotencyError
  );
}

export function stripeErrorCode(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? error.code : undefined;
}
