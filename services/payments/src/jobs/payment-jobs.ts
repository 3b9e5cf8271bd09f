import { cancelAbandonedIntents } from '../commands/cancel-abandoned-intent';
import { processDueWebhookEvents } from '../commands/process-webhook-events';
import { reconcileStuckPayments, submitPendingRefunds } from '../commands/reconcile-payments';
import type { PaymentsContext } from '../payments-context';

export interface PaymentJobsOptions {
  /** How often the jobs run without being woken (a safety net for lost wake-ups and crashed peers). */
  intervalMs: number;
  /** A payment pending this long is checked against Stripe. */
  stuckAfterMs: number;
}

export interface PaymentJobs {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The work that talks to Stripe after a commit: stored webhook events, intents to cancel, refunds
 * to send, stuck payments to reconcile. One run at a time per process; a wake-up during a run
 * schedules one more run. Several processes may run it: every step is guarded by row locks,
 * conditional updates and Stripe idempotency keys.
 */
export function startPaymentJobs(ctx: PaymentsContext, options: PaymentJobsOptions): PaymentJobs {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      ctx.log.error({ err: error, job: name }, 'payments job failed');
    }
  };

  const runOnce = async () => {
    await step('webhook-events', () => processDueWebhookEvents(ctx));
    await step('cancel-abandoned-intents', () => cancelAbandonedIntents(ctx));
    await step('pending-refunds', () => submitPendingRefunds(ctx));
    await step('reconcile', () => reconcileStuckPayments(ctx, { stuckAfterMs: options.stuckAfterMs }));
  };

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
  };

  const timer = setInterval(wake, options.intervalMs);
  timer.unref();
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
