import Stripe from 'stripe';

export interface StripeSettings {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** Only to point the SDK somewhere other than api.stripe.com (the in-repo fake). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

/** The official SDK, unmodified; only its documented host/port/protocol options point it at the fake. */
export function createStripeClient(settings: StripeSettings): Stripe {
  return new Stripe(settings.secretKey, {
    ...(settings.host ? { host: settings.host } : {}),
    ...(settings.port ? { port: settings.port } : {}),
    ...(settings.protocol ? { protocol: settings.protocol } : {}),
    // Retried requests reuse their idempotency key, so a retry never charges twice.
    maxNetworkRetries: 2,
    // Through fetch, so each call to Stripe is a client span carrying `traceparent` (see @echoplex/telemetry).
    httpClient: Stripe.createFetchHttpClient(),
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'EchoPlex payments' },
  });
}
