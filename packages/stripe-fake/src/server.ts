import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StripeApiError, stripeErrors } from './errors';
import { decodeForm, type FormObject, Params } from './form';
import { Ledger } from './ledger';
import { nowSeconds, type StripeEvent, stripeId } from './objects';
import { type DeliveryAttempt, type DeliveryOrder, type DeliveryPolicy, WebhookDispatcher } from './webhooks';

/** The API version the fake answers with when a request names none (the one the pinned SDK sends). */
export const fakeApiVersion = '2026-10-28.endive';

export interface StripeFakeOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  secretKey?: string;
  publishableKey?: string;
  webhookSecret?: string;
  /** Where events are POSTed; events wait until one is set (`setWebhookUrl` or the control API). */
  webhookUrl?: string;
  delivery?: Partial<DeliveryPolicy>;
  log?: (message: string, details?: object) => void;
}

/** What a Stripe client needs to talk to this server: the shape of `new Stripe(key, { host, port, protocol })`. */
export interface StripeConnection {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  host: string;
  port: number;
  protocol: 'http';
}

export interface StripeFake {
  url: string;
  connection: StripeConnection;
  setWebhookUrl(url: string | undefined): void;
  configureDelivery(policy: Partial<DeliveryPolicy>): DeliveryPolicy;
  holdDeliveries(): void;
  releaseDeliveries(order?: DeliveryOrder): void;
  redeliver(eventId: string, times?: number): void;
  /** Every event created so far, oldest first. */
  events(): StripeEvent[];
  deliveries(): DeliveryAttempt[];
  close(): Promise<void>;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** Parameters the endpoint accepts; anything else is refused like Stripe does. */
  params: string[];
  handle(ledger: Ledger, params: Params, match: RegExpMatchArray): object;
}

const routes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v1\/payment_intents$/,
    params: [
      'amount',
      'currency',
      'automatic_payment_methods',
      'allowed_payment_method_types',
      'payment_method_types',
      'payment_method',
      'confirm',
      'metadata',
      'description',
      'customer',
      'receipt_email',
      'return_url',
    ],
    handle: (ledger, params) => ledger.createPaymentIntent(params),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/payment_intents$/,
    params: ['limit', 'starting_after', 'customer'],
    handle: (ledger, params) => ledger.listPaymentIntents(params),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    params: ['client_secret'],
    handle: (ledger, _params, match) => ledger.retrievePaymentIntent(match[1] as string),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    params: ['payment_method', 'return_url', 'receipt_email'],
    handle: (ledger, params, match) => ledger.confirmPaymentIntent(match[1] as string, params),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    params: ['cancellation_reason'],
    handle: (ledger, params, match) => ledger.cancelPaymentIntent(match[1] as string, params),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/refunds$/,
    params: ['payment_intent', 'charge', 'amount', 'reason', 'metadata'],
    handle: (ledger, params) => ledger.createRefund(params),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/refunds$/,
    params: ['payment_intent', 'charge', 'limit', 'starting_after'],
    handle: (ledger, params) => ledger.listRefunds(params),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/refunds\/([^/]+)$/,
    params: [],
    handle: (ledger, _params, match) => ledger.retrieveRefund(match[1] as string),
  },
];

interface RememberedResponse {
  path: string;
  paramsDigest: string;
  status: number;
  body: object;
}

const maxBodyBytes = 1024 * 1024;

/**
 * A Stripe stand-in for development and tests: the subset of the v1 REST API that payments use, with
 * Stripe's authentication, idempotency, error shapes and signed webhooks, so the unmodified Stripe SDK
 * works against it. State lives in memory for the life of the process.
 */
export async function startStripeFake(options: StripeFakeOptions = {}): Promise<StripeFake> {
  const host = options.host ?? '127.0.0.1';
  const secretKey = options.secretKey ?? 'sk_test_echoplex_fake_secret_key';
  const publishableKey = options.publishableKey ?? 'pk_test_echoplex_fake_publishable_key';
  const webhookSecret = options.webhookSecret ?? 'whsec_echoplex_fake_webhook_secret';
  const log = options.log ?? (() => {});

  const dispatcher = new WebhookDispatcher(webhookSecret, {
    url: options.webhookUrl,
    policy: options.delivery,
    log,
  });
  const events: StripeEvent[] = [];
  // The request being served, so events can name it like Stripe's `event.request` does.
  let currentRequest: { id: string; idempotencyKey: string | null; apiVersion: string } | undefined;
  const ledger = new Ledger((type, object, previousAttributes) => {
    const event: StripeEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: currentRequest?.apiVersion ?? fakeApiVersion,
      created: nowSeconds(),
      data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: currentRequest?.id ?? null, idempotency_key: currentRequest?.idempotencyKey ?? null },
      type,
    };
    events.push(event);
    dispatcher.enqueue(event);
  });
  const remembered = new Map<string, RememberedResponse>();

  const serveApi = (request: IncomingMessage, body: string, response: ServerResponse, requestId: string) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    authenticate(request.headers.authorization, secretKey);
    const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
    if (!route) throw stripeErrors.unrecognizedUrl(method, url.pathname);
    const match = url.pathname.match(route.pattern) as RegExpMatchArray;
    const form = decodeForm(method === 'GET' ? url.search.slice(1) : body);
    const idempotencyKey = method === 'POST' ? header(request, 'idempotency-key') : undefined;

    if (idempotencyKey) {
      const first = remembered.get(idempotencyKey);
      if (first) {
        if (first.path !== url.pathname) {
          throw stripeErrors.idempotencyEndpointMismatch(idempotencyKey, first.path, url.pathname);
        }
        if (first.paramsDigest !== digest(form)) throw stripeErrors.idempotencyParamsMismatch(idempotencyKey);
        response.setHeader('idempotent-replayed', 'true');
        response.setHeader('idempotency-key', idempotencyKey);
        send(response, first.status, first.body);
        return;
      }
      response.setHeader('idempotency-key', idempotencyKey);
    }

    const remember = (status: number, result: object) => {
      if (idempotencyKey) {
        remembered.set(idempotencyKey, { path: url.pathname, paramsDigest: digest(form), status, body: result });
      }
    };
    currentRequest = {
      id: requestId,
      idempotencyKey: idempotencyKey ?? null,
      apiVersion: header(request, 'stripe-version') ?? fakeApiVersion,
    };
    try {
      const { expand: _expand, ...rest } = form;
      const result = route.handle(ledger, new Params(rest, route.params), match);
      remember(200, result);
      send(response, 200, result);
    } catch (error) {
      if (error instanceof StripeApiError && error.remembered) remember(error.status, errorBody(error, requestId));
      throw error;
    } finally {
      currentRequest = undefined;
    }
  };

  const serveControl = (request: IncomingMessage, body: string, response: ServerResponse) => {
    authenticate(request.headers.authorization, secretKey);
    const url = new URL(request.url ?? '/', 'http://fake');
    let input: Record<string, unknown> = {};
    try {
      if (body) input = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw stripeErrors.invalidValue('body', 'The control API takes JSON bodies.');
    }
    const key = `${request.method} ${url.pathname}`;
    const redeliverMatch = url.pathname.match(/^\/_fake\/events\/([^/]+)\/redeliver$/);
    if (key === 'POST /_fake/webhook_endpoint') {
      dispatcher.setUrl(typeof input.url === 'string' ? input.url : undefined);
      return send(response, 200, { url: input.url ?? null });
    }
    if (key === 'POST /_fake/deliveries/config') {
      return send(response, 200, dispatcher.configure(input as Partial<DeliveryPolicy>));
    }
    if (key === 'POST /_fake/deliveries/hold') {
      dispatcher.hold();
      return send(response, 200, { held: true });
    }
    if (key === 'POST /_fake/deliveries/release') {
      dispatcher.release(input.order as DeliveryOrder | undefined);
      return send(response, 200, { held: false });
    }
    if (key === 'GET /_fake/events') return send(response, 200, { data: events });
    if (key === 'GET /_fake/deliveries') return send(response, 200, { data: dispatcher.attempts });
    if (request.method === 'POST' && redeliverMatch) {
      const event = events.find((candidate) => candidate.id === redeliverMatch[1]);
      if (!event) throw stripeErrors.resourceMissing('event', redeliverMatch[1] as string);
      dispatcher.redeliver(event, typeof input.times === 'number' ? input.times : 1);
      return send(response, 200, { redelivered: event.id });
    }
    throw stripeErrors.unrecognizedUrl(request.method ?? 'GET', url.pathname);
  };

  const server: Server = createServer((request, response) => {
    const requestId = stripeId('req', 14);
    response.setHeader('request-id', requestId);
    response.setHeader('stripe-version', header(request, 'stripe-version') ?? fakeApiVersion);
    readBody(request)
      .then((body) => {
        if ((request.url ?? '').startsWith('/_fake/')) serveControl(request, body, response);
        else serveApi(request, body, response, requestId);
      })
      .catch((error) => {
        if (error instanceof StripeApiError) {
          send(response, error.status, errorBody(error, requestId));
          return;
        }
        log('stripe fake request failed', { err: String(error) });
        send(response, 500, {
          error: { type: 'api_error', message: 'An unknown error occurred in the Stripe fake.' },
        });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    connection: { secretKey, publishableKey, webhookSecret, host, port, protocol: 'http' },
    setWebhookUrl: (url) => dispatcher.setUrl(url),
    configureDelivery: (policy) => dispatcher.configure(policy),
    holdDeliveries: () => dispatcher.hold(),
    releaseDeliveries: (order) => dispatcher.release(order),
    redeliver(eventId, times = 1) {
      const event = events.find((candidate) => candidate.id === eventId);
      if (!event) throw new Error(`no event ${eventId}`);
      dispatcher.redeliver(event, times);
    },
    events: () => [...events],
    deliveries: () => [...dispatcher.attempts],
    async close() {
      await dispatcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function authenticate(authorization: string | undefined, secretKey: string): void {
  if (!authorization) throw stripeErrors.missingApiKey();
  const [scheme, credentials = ''] = authorization.split(' ');
  let key = credentials;
  // Stripe also takes the key as the Basic-auth user name (`curl -u sk_test_…:`).
  if (scheme?.toLowerCase() === 'basic') key = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] ?? '';
  else if (scheme?.toLowerCase() !== 'bearer') throw stripeErrors.missingApiKey();
  if (key !== secretKey) throw stripeErrors.invalidApiKey(key);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parameters compare by content, whatever order the client wrote them in. */
function digest(form: FormObject): string {
  const canonical = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map(canonical);
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  };
  return JSON.stringify(canonical(form));
}

function errorBody(error: StripeApiError, requestId: string) {
  return { error: { ...error.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } };
}

function send(response: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body, null, 2);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'access-control-allow-origin': '*',
  });
  response.end(payload);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(stripeErrors.invalidValue('body', 'The request body is too large.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
