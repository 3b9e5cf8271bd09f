import { createHmac } from 'node:crypto';
import type { StripeEvent } from './objects';

/**
 * Stripe's signature scheme: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>"
 * keyed with the endpoint's signing secret>`. Each delivery attempt is signed afresh, as Stripe does.
 */
export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export type DeliveryOrder = 'in-order' | 'reverse' | 'shuffle';

export interface DeliveryPolicy {
  /** How many times each event is sent (Stripe delivers at least once; duplicates must be harmless). */
  duplicates: number;
  /** `reverse`/`shuffle` gather events for `reorderWindowMs` and send that batch out of order. */
  order: DeliveryOrder;
  reorderWindowMs: number;
  /** Retries after a non-2xx answer or a network error: exponential backoff from the initial delay. */
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  duplicates: 1,
  order: 'in-order',
  reorderWindowMs: 100,
  initialRetryDelayMs: 500,
  maxRetryDelayMs: 60_000,
  maxAttempts: 10,
  timeoutMs: 10_000,
};

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  /** HTTP status of the endpoint's answer, or null when it could not be reached. */
  status: number | null;
  error?: string;
  at: string;
}

type Log = (message: string, details?: object) => void;

/**
 * Sends events to the one configured webhook endpoint. Events wait while no endpoint is set or while
 * delivery is held; a failed attempt is retried with exponential backoff until `maxAttempts`.
 */
export class WebhookDispatcher {
  private policy: DeliveryPolicy;
  private url: string | undefined;
  private held = false;
  private readonly waiting: StripeEvent[] = [];
  private readonly reorderBuffer: StripeEvent[] = [];
  private reorderTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  readonly attempts: DeliveryAttempt[] = [];
  private readonly log: Log;

  constructor(
    private readonly secret: string,
    options: { url?: string; policy?: Partial<DeliveryPolicy>; log?: Log } = {},
  ) {
    this.url = options.url;
    this.policy = { ...defaultDeliveryPolicy, ...options.policy };
    this.log = options.log ?? (() => {});
  }

  setUrl(url: string | undefined): void {
    this.url = url;
    this.flushWaiting();
  }

  configure(policy: Partial<DeliveryPolicy>): DeliveryPolicy {
    this.policy = { ...this.policy, ...policy };
    return this.policy;
  }

  /** Keeps every new event back until `release`, to stage out-of-order deliveries deterministically. */
  hold(): void {
    this.held = true;
  }

  /** Sends everything held, in the order asked for (default: the policy's order). */
  release(order: DeliveryOrder = this.policy.order): void {
    this.held = false;
    const batch = this.waiting.splice(0);
    if (this.url) this.sendBatch(arrange(batch, order));
    else this.waiting.push(...batch);
  }

  enqueue(event: StripeEvent): void {
    if (this.closed) return;
    if (this.held || !this.url) {
      this.waiting.push(event);
      return;
    }
    if (this.policy.order === 'in-order') {
      this.sendBatch([event]);
      return;
    }
    this.reorderBuffer.push(event);
    this.reorderTimer ??= setTimeout(() => {
      this.reorderTimer = undefined;
      this.sendBatch(arrange(this.reorderBuffer.splice(0), this.policy.order));
    }, this.policy.reorderWindowMs);
  }

  /** Sends one event again with the same id, as Stripe does when it could not tell it was received. */
  redeliver(event: StripeEvent, times = 1): void {
    this.sendBatch(
      Array.from({ length: times }, () => event),
      1,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.chain;
    await Promise.allSettled([...this.inFlight]);
  }

  private flushWaiting(): void {
    if (!this.url || this.held) return;
    this.sendBatch(this.waiting.splice(0));
  }

  /**
   * First attempts go out one after another, so a batch arrives in the order it was arranged; retries
   * run on their own timers and never hold the batch up.
   */
  private sendBatch(events: StripeEvent[], copies = this.policy.duplicates): void {
    for (const event of events) {
      for (let copy = 0; copy < copies; copy++) {
        this.chain = this.chain.then(() => this.attempt(event, 1));
      }
    }
  }

  private attempt(event: StripeEvent, attempt: number): Promise<void> {
    const delivery = this.deliver(event, attempt).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  private async deliver(event: StripeEvent, attempt: number): Promise<void> {
    if (this.closed) return;
    const url = this.url;
    if (!url) {
      this.waiting.push(event);
      return;
    }
    // Stripe pretty-prints event payloads; receivers must verify the exact bytes, not a re-serialisation.
    const payload = JSON.stringify(event, null, 2);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signPayload(payload, this.secret),
        },
        body: payload,
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (failure) {
      error = String((failure as Error)?.message ?? failure);
    }
    this.attempts.push({ eventId: event.id, type: event.type, attempt, status, error, at: new Date().toISOString() });
    if (status !== null && status >= 200 && status < 300) return;
    if (attempt >= this.policy.maxAttempts || this.closed) {
      this.log('webhook delivery abandoned', { eventId: event.id, type: event.type, attempt, status, error });
      return;
    }
    const delay = Math.min(this.policy.initialRetryDelayMs * 2 ** (attempt - 1), this.policy.maxRetryDelayMs);
    this.log('webhook delivery failed, retrying', { eventId: event.id, attempt, status, error, delay });
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.attempt(event, attempt + 1);
    }, delay);
    timer.unref();
    this.retryTimers.add(timer);
  }
}

function arrange(events: StripeEvent[], order: DeliveryOrder): StripeEvent[] {
  if (order === 'reverse') return [...events].reverse();
  if (order === 'shuffle') {
    const shuffled = [...events];
    for (let index = shuffled.length - 1; index > 0; index--) {
      const other = Math.floor(Math.random() * (index + 1));
      [shuffled[index], shuffled[other]] = [shuffled[other] as StripeEvent, shuffled[index] as StripeEvent];
    }
    return shuffled;
  }
  return events;
}
