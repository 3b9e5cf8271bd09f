import { commonConfig } from '@echoplex/http';
import { z } from 'zod';
import type { PaymentsOptions } from './plugin';

/** The payments process's environment: the common settings plus Stripe's keys (all three, or none for the fake). */
export const paymentsConfig = commonConfig
  .extend({
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    STRIPE_PUBLISHABLE_KEY: z.string().startsWith('pk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    /** Only to reach a Stripe stand-in that outlives this process (the in-repo fake run by the chaos tests). */
    STRIPE_API_URL: z.string().url().optional(),
    PAYMENTS_JOBS_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
    PAYMENTS_STUCK_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  })
  .superRefine((config, issues) => {
    if (!config.STRIPE_SECRET_KEY) return;
    for (const name of ['STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
      if (!config[name]) issues.addIssue({ code: 'custom', path: [name], message: 'required with STRIPE_SECRET_KEY' });
    }
  });
export type PaymentsConfig = z.infer<typeof paymentsConfig>;

/** Real Stripe when its keys are set; otherwise the fake (whose connection the caller supplies or the plugin starts). */
export function paymentsOptionsFromConfig(config: PaymentsConfig): PaymentsOptions {
  const jobs = { intervalMs: config.PAYMENTS_JOBS_INTERVAL_MS, stuckAfterMs: config.PAYMENTS_STUCK_AFTER_MS };
  if (!config.STRIPE_SECRET_KEY) return { mode: 'fake', jobs };
  const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  return {
    mode: 'stripe',
    jobs,
    stripe: {
      secretKey: config.STRIPE_SECRET_KEY,
      publishableKey: config.STRIPE_PUBLISHABLE_KEY as string,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET as string,
      ...(api
        ? { host: api.hostname, port: Number(api.port), protocol: api.protocol === 'http:' ? 'http' : 'https' }
        : {}),
    },
  };
}
