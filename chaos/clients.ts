import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import type { ChaosStack } from './stack';

export interface Answer {
  /** 0 when no HTTP answer came back (connection refused or reset). */
  status: number;
  /** JSON of the public API, asserted by the scenarios. */
  body: any;
}

/** What the clients of one scenario did, for its results. */
export class Tally {
  requests = 0;
  readonly statuses = new Map<number, number>();

  count(answer: Answer): Answer {
    this.requests++;
    this.statuses.set(answer.status, (this.statuses.get(answer.status) ?? 0) + 1);
    return answer;
  }

  /** `{ "201": 80, "409": 16, "no answer": 3, … }` */
  byStatus(): Record<string, number> {
    return Object.fromEntries(
      [...this.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => [status || 'no answer', n]),
    );
  }
}

export interface Client {
  userId: string;
  headers: { authorization: string };
}

export function api(stack: ChaosStack, tally: Tally) {
  async function call(
    method: string,
    path: string,
    options: { client?: Client; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<Answer> {
    try {
      const response = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: {
          ...options.client?.headers,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      return tally.count({ status: response.status, body: text ? JSON.parse(text) : undefined });
    } catch {
      return tally.count({ status: 0, body: undefined });
    }
  }

  /**
   * Sends the same request until it gets a final answer, as a browser with an Idempotency-Key does:
   * no answer or a 5xx (the service or its database is down) is retried with the same key. A status in
   * `retryOn` (a 404 from a service that has not yet heard of what another one committed) is a refusal
   * that the service stores under the key and replays (API.md), so it is retried with a new key.
   */
  async function settle(
    method: string,
    path: string,
    options: Parameters<typeof call>[2] & { retryOn?: number[]; deadlineMs?: number } = {},
  ): Promise<Answer> {
    const retryOn = options.retryOn ?? [];
    const deadline = Date.now() + (options.deadlineMs ?? 90_000);
    let { idempotencyKey } = options;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      const answer = await call(method, path, { ...options, idempotencyKey });
      const refused = retryOn.includes(answer.status);
      const transient = answer.status === 0 || answer.status >= 500 || refused;
      if (!transient || Date.now() > deadline) return answer;
      if (refused && idempotencyKey) idempotencyKey = randomUUID();
      await new Promise((done) => setTimeout(done, delay));
    }
  }

  async function signUp(role: 'organizer' | 'attendee'): Promise<Client> {
    const answer = await settle('POST', '/api/auth/register', {
      body: {
        email: `${role}-${randomUUID()}@chaos.echoplex.dev`,
        password: 'chaos-monkey-password-2027',
        firstName: 'Chaos',
        lastName: role,
        role,
      },
    });
    if (answer.status !== 201) throw new Error(`sign-up answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return { userId: answer.body.user.id, headers: { authorization: `Bearer ${answer.body.accessToken}` } };
  }

  /** A published event with the given ticket types, once ticketing sells them. */
  async function openSale(
    organizer: Client,
    sale: { capacity: number; ticketTypes: { name: string; price: number; quantity: number }[] },
  ): Promise<{ eventId: string; ticketTypeIds: string[] }> {
    const start = new Date(Date.now() + 30 * 24 * 3_600_000);
    const created = await settle('POST', '/api/events', {
      client: organizer,
      body: {
        name: `Chaos sale ${randomUUID().slice(0, 8)}`,
        description: 'A sale run under injected faults.',
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
        location: 'Loopback Arena',
        capacity: sale.capacity,
      },
    });
    if (created.status !== 201) throw new Error(`create event answered ${created.status}`);
    const eventId = created.body.id as string;
    const published = await settle('POST', `/api/events/${eventId}/publish`, { client: organizer });
    if (published.status !== 200) throw new Error(`publish answered ${published.status}`);
    const ticketTypeIds: string[] = [];
    for (const ticketType of sale.ticketTypes) {
      // Ticketing learns of the event from Kafka: until then the event is unknown to it.
      const answer = await settle('POST', `/api/events/${eventId}/tickets`, {
        client: organizer,
        body: { ...ticketType, currency: 'eur', maxPerOrder: 4 },
        retryOn: [404],
        deadlineMs: 60_000,
      });
      if (answer.status !== 201) throw new Error(`create ticket type answered ${answer.status}`);
      ticketTypeIds.push(answer.body.id);
    }
    const onSale = await eventually(
      () => call('GET', `/api/events/${eventId}/availability`),
      (answer) => answer.status === 200 && answer.body.ticketTypes.length === ticketTypeIds.length,
      60_000,
    );
    if (onSale.status !== 200) throw new Error(`availability answered ${onSale.status}`);
    return { eventId, ticketTypeIds };
  }

  /** Registers with one Idempotency-Key, retried until ticketing gives a final answer. */
  function register(client: Client, eventId: string, ticketTypeId: string, quantity = 1): Promise<Answer> {
    return settle('POST', '/api/registrations', {
      client,
      body: { eventId, ticketTypeId, quantity },
      idempotencyKey: randomUUID(),
      deadlineMs: 120_000,
    });
  }

  /**
   * Pays a pending registration as a browser does: creates the intent (404 until payments has heard of
   * the hold) and confirms it at Stripe with each test card in turn. The body names the PaymentIntent.
   */
  async function pay(client: Client, registrationId: string, cards = ['pm_card_visa']): Promise<Answer> {
    const intent = await settle('POST', '/api/payments/intents', {
      client,
      body: { registrationId },
      idempotencyKey: randomUUID(),
      retryOn: [404],
      deadlineMs: 240_000,
    });
    if (intent.status !== 201) return intent;
    const paymentIntentId = String(intent.body.clientSecret).split('_secret_')[0] as string;
    let confirmed: Answer = intent;
    // A declined card first, then another one on the same intent, as a buyer retrying at checkout.
    for (const card of cards) confirmed = tally.count(await confirmAtStripe(stack, paymentIntentId, card));
    return { status: confirmed.status, body: { ...intent.body, paymentIntentId } };
  }

  return { call, settle, signUp, openSale, register, pay };
}

/** What Stripe.js does in the browser: confirms the intent at Stripe, which then sends its webhooks. */
async function confirmAtStripe(stack: ChaosStack, paymentIntentId: string, card: string): Promise<Answer> {
  const response = await fetch(`${stack.stripe.url}/v1/payment_intents/${paymentIntentId}/confirm`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.stripe.connection.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ payment_method: card }).toString(),
  });
  return { status: response.status, body: await response.json() };
}

/** Runs `work` for every item with at most `concurrency` at a time (the scenario's clients). */
export async function withClients<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
