import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  describeResponse,
  documentedRoutes,
  fillPath,
  isProblem,
  type Platform,
  type Route,
  signUp,
  startPlatform,
} from './platform';

/**
 * OWASP API1 (broken object-level authorization): every documented route is called as every kind of
 * caller and must answer with the status the contract (API.md) decides. A route the OpenAPI document
 * lists but this table does not is a failure: a new route needs a decided check before it ships.
 */

type Caller = 'anonymous' | 'attendee' | 'otherAttendee' | 'owner' | 'otherOrganizer';
type Expected = number | number[];

interface Fixture {
  eventId: string;
  ticketTypeId: string;
  /** A second ticket type nobody bought, for routes that delete or register. */
  spareTicketTypeId: string;
  registrationId: string;
  ticketCode: string;
}

interface Rule {
  expect: Record<Caller, Expected>;
  body?: (fixture: Fixture, caller: Caller, accounts: Accounts) => unknown;
  query?: (fixture: Fixture) => string;
  params?: (fixture: Fixture) => Record<string, string>;
  /** The caller whose success changes state goes last so the others meet the resource intact. */
  last?: Caller;
  /** The route needs the event fixture though its path has no parameter. */
  fixture?: true;
  /** The service learns of the fixture from the bus: poll a while for the expected answer. */
  eventual?: true;
}

type Accounts = Record<Exclude<Caller, 'anonymous'>, Account>;

const password = 'correct horse battery staple';
const everyone = (status: Expected): Rule['expect'] => ({
  anonymous: status,
  attendee: status,
  otherAttendee: status,
  owner: status,
  otherOrganizer: status,
});
const signedIn = (status: Expected): Rule['expect'] => ({ ...everyone(status), anonymous: 401 });
const organizers = (status: Expected): Rule['expect'] => ({
  anonymous: 401,
  attendee: 403,
  otherAttendee: 403,
  owner: status,
  otherOrganizer: status,
});
/** Writes to another organizer's public event → 403 (API.md, Conventions › Auth). */
const eventOwner = (status: Expected, strangers: Expected = 403): Rule['expect'] => ({
  anonymous: 401,
  attendee: strangers,
  otherAttendee: strangers,
  owner: status,
  otherOrganizer: strangers,
});
/** Another user's private resource → 404, so its existence is not revealed. */
const registrant = (status: Expected, organizer: Expected): Rule['expect'] => ({
  anonymous: 401,
  attendee: status,
  otherAttendee: 404,
  owner: organizer,
  otherOrganizer: 404,
});

const eventBody = () => ({
  name: 'Security matrix',
  startTime: '2030-03-01T18:00:00.000Z',
  endTime: '2030-03-01T22:00:00.000Z',
  location: 'Main hall',
  capacity: 100,
});
const ticketBody = (name: string) => ({ name, price: 0, currency: 'eur', quantity: 50 });
const eventParams = (fixture: Fixture) => ({ id: fixture.eventId, ticketTypeId: fixture.spareTicketTypeId });
const registrationParams = (fixture: Fixture) => ({ id: fixture.registrationId });

const rules: Record<string, Rule> = {
  // identity: credentials travel in the body, so these are open to anyone
  'POST /api/auth/register': {
    expect: everyone(201),
    body: (_, caller) => ({
      email: `new-${caller}-${crypto.randomUUID()}@example.test`,
      password,
      firstName: 'New',
      lastName: 'User',
      role: 'attendee',
    }),
  },
  'POST /api/auth/login': {
    expect: everyone(200),
    body: (_, __, accounts) => ({ email: accounts.attendee.email, password }),
  },
  'POST /api/auth/refresh': { expect: everyone(401), body: () => ({ refreshToken: 'not-a-refresh-token' }) },
  'POST /api/auth/logout': { expect: everyone(204), body: () => ({ refreshToken: 'not-a-refresh-token' }) },
  'POST /api/auth/password/forgot': { expect: everyone(202), body: () => ({ email: 'nobody@example.test' }) },
  'POST /api/auth/password/reset': {
    expect: everyone(400),
    body: () => ({ token: 'not-a-token', password: 'a brand new passphrase' }),
  },
  'GET /api/users/me': { expect: signedIn(200) },
  'PATCH /api/users/me': { expect: signedIn(200), body: () => ({ firstName: 'Renamed' }) },
  'POST /api/users/me/password': {
    expect: signedIn(204),
    body: () => ({ currentPassword: password, newPassword: password }),
  },
  'GET /.well-known/jwks.json': { expect: everyone(200) },
  'GET /api/dev/mailbox': { expect: everyone(200), query: () => '?to=nobody@example.test' },

  // events
  'POST /api/events': { expect: organizers(201), body: () => eventBody() },
  'GET /api/events': { expect: everyone(200) },
  'GET /api/events/categories': { expect: everyone(200) },
  'GET /api/events/{id}': { expect: everyone(200), params: eventParams },
  'PUT /api/events/{id}': { expect: eventOwner(200), params: eventParams, body: () => eventBody() },
  'PATCH /api/events/{id}': { expect: eventOwner(200), params: eventParams, body: () => ({ name: 'Renamed' }) },
  // the fixture is published and has a registration: the owner passes the check and meets the state rule
  'DELETE /api/events/{id}': { expect: eventOwner(409), params: eventParams },
  'POST /api/events/{id}/publish': { expect: eventOwner(409), params: eventParams },
  'POST /api/events/{id}/unpublish': { expect: eventOwner(409), params: eventParams },
  'POST /api/events/{id}/cancel': { expect: eventOwner(200), params: eventParams },
  // a JSON body is not an image: the owner gets past the check to the 415
  'POST /api/events/{id}/image': { expect: eventOwner(415), params: eventParams, body: () => ({ image: 'no' }) },
  'GET /api/events/{id}/image': { expect: everyone(404), params: eventParams },
  'GET /api/events/{id}/image/{file}': {
    expect: everyone(404),
    params: (f) => ({ id: f.eventId, file: `${f.eventId}.webp` }),
  },

  // ticketing
  'GET /api/events/{id}/tickets': { expect: everyone(200), params: eventParams },
  'POST /api/events/{id}/tickets': { expect: eventOwner(201), params: eventParams, body: () => ticketBody('Extra') },
  'PATCH /api/events/{id}/tickets/{ticketTypeId}': {
    expect: eventOwner(200),
    params: eventParams,
    body: () => ({ name: 'Renamed' }),
  },
  'DELETE /api/events/{id}/tickets/{ticketTypeId}': { expect: eventOwner(204), params: eventParams },
  'GET /api/events/{id}/availability': { expect: everyone(200), params: eventParams },
  'GET /api/registrations': { expect: signedIn(200) },
  'POST /api/registrations': {
    fixture: true,
    expect: signedIn(201),
    body: (fixture) => ({ eventId: fixture.eventId, ticketTypeId: fixture.spareTicketTypeId }),
  },
  'GET /api/registrations/{id}': { expect: registrant(200, 200), params: registrationParams },
  'POST /api/registrations/{id}/cancel': { expect: registrant(200, 404), params: registrationParams, last: 'attendee' },
  'GET /api/events/{id}/registrations': { expect: eventOwner(200, [403, 404]), params: eventParams },
  'POST /api/events/{id}/check-ins': {
    expect: eventOwner(200, [403, 404]),
    params: eventParams,
    body: (fixture) => ({ code: fixture.ticketCode }),
  },

  // payments
  'GET /api/payments/config': { expect: everyone(200) },
  // the fixture registration is free: its owner passes the check and meets 409 payment_not_required
  'POST /api/payments/intents': {
    fixture: true,
    eventual: true,
    expect: registrant(409, [403, 404]),
    body: (fixture) => ({ registrationId: fixture.registrationId }),
  },
  'POST /api/payments/refunds': {
    fixture: true,
    eventual: true,
    expect: eventOwner(409, [403, 404]),
    body: (fixture) => ({ registrationId: fixture.registrationId }),
  },
  'GET /api/payments': {
    fixture: true,
    eventual: true,
    expect: registrant(200, 200),
    query: (fixture) => `?registrationId=${fixture.registrationId}`,
  },
  // Stripe authenticates by signature, not by token: an unsigned body is refused for everyone
  'POST /api/payments/webhook': { expect: everyone(400), body: () => ({ type: 'payment_intent.succeeded' }) },
  // fake-mode only; it asks for a signed-in caller, and an unknown intent is 404
  'POST /api/dev/stripe/confirm': {
    expect: signedIn(404),
    body: () => ({ paymentIntentId: 'pi_unknown', paymentMethod: 'pm_card_visa' }),
  },

  // analytics
  'POST /api/analytics/page-views': {
    fixture: true,
    expect: everyone(202),
    body: (fixture) => ({ eventId: fixture.eventId }),
  },
  'GET /api/analytics/events/{id}/summary': {
    expect: eventOwner(200, [403, 404]),
    params: eventParams,
    eventual: true,
  },
  'GET /api/analytics/events/{id}/timeseries': {
    eventual: true,
    expect: eventOwner(200, [403, 404]),
    params: eventParams,
    query: () => '?metric=registrations&interval=day',
  },
  'GET /api/analytics/overview': { expect: organizers(200) },
};

/** For routes that touch no resource of the fixture. */
const noFixture: Fixture = { eventId: '', ticketTypeId: '', spareTicketTypeId: '', registrationId: '', ticketCode: '' };

/** Public routes answer everyone alike; a route is protected when anonymous callers get 401 and others do not. */
const isProtected = (rule: Rule | undefined) =>
  rule !== undefined &&
  rule.expect.anonymous === 401 &&
  ([rule.expect.attendee].flat() as number[]).every((s) => s !== 401);

const order: Caller[] = ['anonymous', 'otherAttendee', 'otherOrganizer', 'attendee', 'owner'];

describe('authorization matrix over the OpenAPI document', () => {
  let platform: Platform;
  let accounts: Accounts;
  let routes: Route[];

  beforeAll(async () => {
    platform = await startPlatform('security_matrix');
    accounts = {
      attendee: await signUp(platform, 'attendee'),
      otherAttendee: await signUp(platform, 'attendee'),
      owner: await signUp(platform, 'organizer'),
      otherOrganizer: await signUp(platform, 'organizer'),
    };
    routes = await documentedRoutes(platform);
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** A published event with two free ticket types and one confirmed registration, made through the API. */
  async function createFixture(): Promise<Fixture> {
    const { app } = platform;
    const owner = accounts.owner.headers;
    const event = await app.inject({ method: 'POST', url: '/api/events', headers: owner, payload: eventBody() });
    if (event.statusCode !== 201) throw new Error(`cannot create an event: ${describeResponse(event)}`);
    const eventId: string = event.json().id;
    // ticketing learns of the event from the bus
    const createTicketType = (name: string) =>
      eventually(
        () =>
          app.inject({
            method: 'POST',
            url: `/api/events/${eventId}/tickets`,
            headers: owner,
            payload: ticketBody(name),
          }),
        (response) => response.statusCode === 201,
      );
    const ticketType = await createTicketType('General');
    const spare = await createTicketType('Spare');
    if (spare.statusCode !== 201) throw new Error(`cannot create a ticket type: ${describeResponse(spare)}`);
    const published = await app.inject({ method: 'POST', url: `/api/events/${eventId}/publish`, headers: owner });
    if (published.statusCode !== 200) throw new Error(`cannot publish: ${describeResponse(published)}`);
    const registration = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: '/api/registrations',
          headers: accounts.attendee.headers,
          payload: { eventId, ticketTypeId: ticketType.json().id, quantity: 2 },
        }),
      (response) => response.statusCode === 201,
    );
    if (registration.statusCode !== 201) throw new Error(`cannot register: ${describeResponse(registration)}`);
    // The events service counts seats from the bus. Wait until it has counted these two: it then
    // refuses to lower capacity below them. A probe that got through is undone before retrying.
    const counted = await eventually(
      async () => {
        const probe = await app.inject({
          method: 'PATCH',
          url: `/api/events/${eventId}`,
          headers: owner,
          payload: { capacity: 1 },
        });
        if (probe.statusCode === 200) {
          await app.inject({
            method: 'PATCH',
            url: `/api/events/${eventId}`,
            headers: owner,
            payload: { capacity: 100 },
          });
        }
        return probe;
      },
      (response) => response.statusCode === 409,
    );
    if (counted.statusCode !== 409) throw new Error(`events never counted the seats: ${describeResponse(counted)}`);
    return {
      eventId,
      ticketTypeId: ticketType.json().id,
      spareTicketTypeId: spare.json().id,
      registrationId: registration.json().id,
      ticketCode: registration.json().tickets[0].code,
    };
  }

  it('has a decided expectation for every documented route', () => {
    const undecided = routes.map((route) => route.key).filter((key) => !(key in rules));
    expect(undecided, 'routes in /openapi.json without an authorization rule').toEqual([]);
  });

  it('has no rule for a route that is not documented (stale rules hide renamed routes)', () => {
    const documented = new Set(routes.map((route) => route.key));
    // the events service is being mounted: its rules stay until it is, every other rule must match a route
    const stale = Object.keys(rules).filter((key) => !documented.has(key) && !key.includes('/api/events'));
    expect(stale).toEqual([]);
  });

  it('answers every route × caller as the contract says', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const rule = rules[route.key];
      if (!rule) continue;
      let fixture = noFixture;
      if (route.path.includes('{') || rule.fixture) {
        try {
          fixture = await createFixture();
        } catch (error) {
          failures.push(`${route.key}: ${(error as Error).message}`);
          continue;
        }
      }
      const callers = rule.last ? [...order.filter((c) => c !== rule.last), rule.last] : order;
      for (const caller of callers) {
        const expected = ([] as number[]).concat(rule.expect[caller]);
        const call = () => {
          const body = rule.body?.(fixture, caller, accounts);
          return platform.app.inject({
            method: route.method,
            url: fillPath(route.path, rule.params?.(fixture) ?? {}) + (rule.query?.(fixture) ?? ''),
            headers: caller === 'anonymous' ? {} : accounts[caller].headers,
            ...(body === undefined ? {} : { payload: body as object }),
          });
        };
        const response = rule.eventual
          ? await eventually(call, (r) => expected.includes(r.statusCode), 5_000)
          : await call();
        checked += 1;
        const problemMissing = response.statusCode >= 400 && !isProblem(response);
        if (!expected.includes(response.statusCode) || problemMissing) {
          failures.push(`${route.key} as ${caller}: expected ${expected.join('|')}, got ${describeResponse(response)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked + failures.filter((f) => !f.includes(' as ')).length * order.length).toBe(
      routes.length * order.length,
    );
  });

  it('refuses anonymous callers before validating the body (a 401 never depends on body validity)', async () => {
    const failures: string[] = [];
    const protectedWrites = routes.filter((route) => route.method !== 'GET' && isProtected(rules[route.key]));
    for (const route of protectedWrites) {
      for (const payload of [{}, { unexpected: ['shape'] }]) {
        const response = await platform.app.inject({ method: route.method, url: fillPath(route.path, {}), payload });
        if (response.statusCode !== 401 || !isProblem(response)) {
          failures.push(`${route.key} anonymous with ${JSON.stringify(payload)}: ${describeResponse(response)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses attendees on organizer-only writes before validating the body', async () => {
    const failures: string[] = [];
    const organizerWrites = routes.filter((route) => {
      const rule = rules[route.key];
      return route.method !== 'GET' && isProtected(rule) && rule?.expect.otherAttendee === 403;
    });
    for (const route of organizerWrites) {
      const response = await platform.app.inject({
        method: route.method,
        url: fillPath(route.path, {}),
        headers: accounts.attendee.headers,
        payload: {},
      });
      if (![403, 404].includes(response.statusCode) || !isProblem(response)) {
        failures.push(`${route.key} attendee with {}: ${describeResponse(response)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
