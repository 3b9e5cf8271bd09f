import type { ApiClient } from './client';
import { ApiProblem } from './problem';
import type { FakeConfirmation, PaymentIntent, PaymentsConfig, Refund, TestPaymentMethod } from './types';

export function paymentsApi(client: ApiClient) {
  return {
    config: () => client.get<PaymentsConfig>('/api/payments/config', { auth: false }),
    createIntent: (registrationId: string, idempotencyKey: string) =>
      askWhileUnknown(() =>
        client.post<PaymentIntent>('/api/payments/intents', { registrationId }, { idempotencyKey }),
      ),
    confirmWithTestCard: (paymentIntentId: string, paymentMethod: TestPaymentMethod) =>
      client.post<FakeConfirmation>('/api/dev/stripe/confirm', { paymentIntentId, paymentMethod }),
    refund: (input: { registrationId: string; amount?: number; reason?: string }, idempotencyKey: string) =>
      client.post<Refund>('/api/payments/refunds', input, { idempotencyKey }),
  };
}

/** Stripe client secrets are `<payment intent id>_secret_<random>`. */
export function paymentIntentIdOf(clientSecret: string): string {
  const index = clientSecret.indexOf('_secret_');
  return index === -1 ? clientSecret : clientSecret.slice(0, index);
}

/**
 * Payments learns of a hold from the bus a moment after ticketing answered the registration, so a
 * buyer who pays at once can be told 404: ask again with the same key for a few seconds first.
 */
async function askWhileUnknown<T>(request: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (failure) {
      if (!(failure instanceof ApiProblem && failure.status === 404) || attempt >= attempts) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
