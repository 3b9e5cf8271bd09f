import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, sql } from '@echoplex/db';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
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
 * Hostile bodies on every JSON write route of the OpenAPI document: whatever arrives, the answer is
 * never a 5xx, every 4xx is problem+json, and a refused request leaves no row behind.
 */

const runsPerRoute = 30;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** Values that break the usual assumptions of a field: wrong types, extremes, odd unicode. */
const hostileValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -2_147_483_648, max: -1 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e308, 0.5),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    'x'.repeat(100_000),
    '\u0000',
    '\uD800',
    '😀'.repeat(300),
    "'; drop table users; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '2027-02-30T25:61:00.000Z',
    '00000000-0000-0000-0000-000000000000',
    '__proto__',
  ),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A body shaped like the route's schema with some fields replaced by hostile values or dropped. */
function schemaShaped(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const fields = Object.keys(schema?.properties ?? {});
  if (fields.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 4 });
  return fc.record(Object.fromEntries(fields.map((field) => [field, hostileValue])), { requiredKeys: [] });
}

const arbitraryBody = (schema: JsonSchema | undefined) =>
  fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.object({ maxDepth: 2 }),
    schemaShaped(schema),
    fc.constant({ __proto__: { role: 'organizer' }, constructor: { prototype: { admin: true } } }),
  );

const eventBody = () => ({
  name: 'Fuzz target',
  startTime: '2030-03-01T18:00:00.000Z',
  endTime: '2030-03-01T22:00:00.000Z',
  location: 'Hall',
  capacity: 10,
});

/** Valid bodies of the routes whose required fields would otherwise stop every walk at validation. */
const validBodies: Record<string, () => object> = {
  'POST /api/auth/register': () => ({
    email: `walk-${crypto.randomUUID()}@example.test`,
    password: 'correct horse battery staple',
    firstName: 'Walk',
    lastName: 'Er',
    role: 'attendee',
  }),
  'POST /api/events': eventBody,
  'PUT /api/events/{id}': eventBody,
  'POST /api/events/{id}/tickets': () => ({ name: 'Walk', price: 0, currency: 'eur', quantity: 5 }),
};

/**
 * Tables that only requests add rows to (consumers at most update theirs), so rows appearing there
 * while a rejected request runs can only come from that request, even with the bus still busy.
 */
const requestWrittenTables = [
  'identity.users',
  'identity.refresh_tokens',
  'identity.password_reset_tokens',
  'events.events',
  'ticketing.ticket_types',
  'ticketing.registrations',
  'ticketing.tickets',
  'ticketing.idempotency_keys',
];

function verdict(route: string, response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `${route}: ${describeResponse(response)}`;
  if (response.statusCode >= 400 && !isProblem(response))
    return `${route}: 4xx without problem+json: ${describeResponse(response)}`;
  return undefined;
}

describe('fuzzing the JSON routes', () => {
  let platform: Platform;
  let organizer: Account;
  let attendee: Account;
  let jsonWrites: Route[];
  let eventId: string | undefined;
  let database: ReturnType<typeof createDatabase<unknown>>;

  /** Row counts of the request-written tables, in one statement. */
  const rowCounts = async () => {
    const counts = requestWrittenTables.map(
      (table) => sql`select ${table} as "table", count(*)::int as n from ${sql.raw(table)}`,
    );
    const { rows } = await sql<{ table: string; n: number }>`${sql.join(counts, sql` union all `)}`.execute(
      database.kysely,
    );
    return Object.fromEntries(rows.map((row) => [row.table, row.n]));
  };

  /** Sends the request; when it is refused, says so if any request-written table gained or lost rows. */
  const partialWrite = async (label: string, send: () => Promise<LightMyRequestResponse>) => {
    const before = await rowCounts();
    const response = await send();
    if (response.statusCode < 400) return { response, failure: undefined };
    const after = await rowCounts();
    const changed = requestWrittenTables.filter((table) => before[table] !== after[table]);
    const failure = changed.length
      ? `${label}: refused with ${response.statusCode} but changed the rows of ${changed.join(', ')}`
      : undefined;
    return { response, failure };
  };

  beforeAll(async () => {
    platform = await startPlatform('security_fuzz');
    database = createDatabase<unknown>({ url: platform.databaseUrl, poolMax: 1 });
    organizer = await signUp(platform, 'organizer');
    attendee = await signUp(platform, 'attendee');
    const routes = await documentedRoutes(platform);
    jsonWrites = routes.filter(
      (route) =>
        ['POST', 'PUT', 'PATCH'].includes(route.method) && route.operation.requestBody?.content?.['application/json'],
    );
    // With the events service mounted, path ids point at a real event of the organizer so the fuzzed
    // bodies reach the deeper checks; otherwise they are unknown ids.
    const event = await platform.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: organizer.headers,
      payload: eventBody(),
    });
    if (event.statusCode === 201) eventId = event.json().id;
  });
  afterAll(async () => {
    await database?.close();
    await platform?.close();
  });

  it('never answers a 5xx, and every 4xx is problem+json', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const route of jsonWrites) {
      const media = route.operation.requestBody?.content?.['application/json'] as { schema?: JsonSchema } | undefined;
      const schema = media?.schema;
      const url = fillPath(route.path, eventId ? { id: eventId } : {});
      for (const account of [organizer, attendee]) {
        await fc.assert(
          fc.asyncProperty(arbitraryBody(schema), async (body) => {
            const response = await platform.app.inject({
              method: route.method,
              url,
              headers: { ...account.headers, 'content-type': 'application/json' },
              payload: JSON.stringify(body) ?? 'null',
            });
            requests += 1;
            const failure = verdict(route.key, response);
            if (failure) failures.push(`${failure} body=${(JSON.stringify(body) ?? 'undefined').slice(0, 200)}`);
          }),
          { numRuns: runsPerRoute },
        );
      }
    }
    expect(failures).toEqual([]);
    expect(jsonWrites.length).toBeGreaterThan(10);
    expect(requests).toBe(jsonWrites.length * 2 * runsPerRoute);
  });

  it('survives each hostile value in each schema field, and a refusal writes nothing (a deterministic walk, so a finding reproduces)', async () => {
    const hostile: unknown[] = [
      null,
      true,
      -1,
      -2_147_483_649,
      1e308,
      0.5,
      '',
      '\u0000',
      'a\u0000b',
      '\uD800',
      'x'.repeat(100_000),
      '😀'.repeat(300),
      '<script>alert(1)</script>',
      ['array'],
      { nested: { deep: [1] } },
    ];
    const failures: string[] = [];
    let requests = 0;
    for (const route of jsonWrites) {
      const media = route.operation.requestBody?.content?.['application/json'] as { schema?: JsonSchema } | undefined;
      const fields = Object.keys(media?.schema?.properties ?? {});
      const url = fillPath(route.path, eventId ? { id: eventId } : {});
      // with a valid body around it, the hostile field gets past validation of the others
      const base = validBodies[route.key]?.() ?? {};
      for (const field of fields) {
        for (const value of hostile) {
          const { response, failure: written } = await partialWrite(route.key, () =>
            platform.app.inject({
              method: route.method,
              url,
              headers: organizer.headers,
              payload: { ...base, [field]: value },
            }),
          );
          requests += 1;
          for (const failure of [verdict(route.key, response), written]) {
            if (failure) failures.push(`${failure} field=${field} value=${JSON.stringify(value).slice(0, 40)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);
    // every request is counted around, twice: the walk outgrows the default timeout
  }, 300_000);

  it('answers malformed JSON and wrong content types with a 4xx problem that writes nothing', async () => {
    const failures: string[] = [];
    for (const route of jsonWrites) {
      const url = fillPath(route.path, eventId ? { id: eventId } : {});
      for (const [contentType, payload] of [
        ['application/json', '{"unterminated": '],
        ['application/json', ''],
        ['text/plain', 'hello'],
        ['application/xml', '<a/>'],
      ] as const) {
        const label = `${route.key} ${contentType} ${JSON.stringify(payload)}`;
        const { response, failure: written } = await partialWrite(label, () =>
          platform.app.inject({
            method: route.method,
            url,
            headers: { ...organizer.headers, 'content-type': contentType },
            payload,
          }),
        );
        for (const failure of [verdict(label, response), written]) if (failure) failures.push(failure);
        if (response.statusCode < 400)
          failures.push(`${route.key} accepted ${contentType}: ${describeResponse(response)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a 2 MB body with 413 problem+json', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode, describeResponse(response)).toBe(413);
    expect(isProblem(response)).toBe(true);
  });

  it('refuses a 64 KB header with a 4xx, over a real socket', async () => {
    // light-my-request skips Node's HTTP parser, where the header limit lives: listen for real
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = platform.app.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, path: '/api/users/me', headers: { 'x-padding': 'a'.repeat(64 * 1024) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect([400, 431]).toContain(status);
  });
});
