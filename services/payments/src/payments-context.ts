import type { Outbox } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { Counter, Logger } from '@echoplex/telemetry';
import type Stripe from 'stripe';
import type { PaymentsDb } from './db/schema';

/** What the payments commands, consumers and jobs share; built once by the plugin. */
export interface PaymentsContext {
  db: Kysely<PaymentsDb>;
  outbox: Outbox;
  stripe: Stripe;
  clock: () => Date;
  log: Logger;
  mode: 'stripe' | 'fake';
  publishableKey: string;
  webhookSecret: string;
  /** Stripe webhooks refused (`signature`) or failing when applied (`processing`, retried later). */
  webhookFailures: Counter<'reason'>;
  /** Successes not applied because Stripe charged another amount or currency (the payment is flagged). */
  paymentMismatches: Counter<'reason'>;
  /** Asks the background jobs to run soon (after a webhook or a saga step left work for them). */
  wakeJobs(): void;
}
