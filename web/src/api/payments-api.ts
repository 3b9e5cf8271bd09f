import type { ApiClient } from './client';
import type { FakeConfirmation, PaymentIntent, PaymentsConfig, Refund, TestPaymentMethod } from './types';

export function paymentsApi(client: ApiClient) {
  return {
    config: () => client.get<PaymentsConfig>('/api/payments/config', { auth: false }),
    createIntent: (registrationId: string, idempotencyKey: string) =>
      client.post<PaymentIntent>('/api/payments/intents', { registrationId }, { idempotencyKey }),
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
