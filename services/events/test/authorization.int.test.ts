import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  anonymous,
  createEvent,
  eventBody,
  type Harness,
  multipartFile,
  startEventsHarness,
  transition,
} from './support/events-harness';

// Real: PostgreSQL, the hosted service, test-signed EdDSA tokens. Every route × every kind of caller.
type Who = 'owner' | 'otherOrganizer' | 'attendee' | 'anonymous';
type State = 'draft' | 'published';

let harness: Harness;
let actors: Record<Who, Actor>;
let png: Buffer;

beforeAll(async () => {
  harness = await startEventsHarness();
  actors = {
    owner: await harness.auth.user('organizer'),
    otherOrganizer: await harness.auth.user('organizer'),
    attendee: await harness.auth.user('attendee'),
    anonymous,
  };
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a7' } })
    .png()
    .toBuffer();
});
afterAll(() => harness?.close());

interface RouteCase {
  route: string;
  request: (id: string) => {
    method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  };
  expected: Record<State, Record<Who, number>>;
}

const writeStatus = (ownerDraft: number, ownerPublished: number): Record<State, Record<Who, number>> => ({
  // Someone else's draft does not exist for them; someone else's public event is forbidden.
  draft: { owner: ownerDraft, otherOrganizer: 404, attendee: 403, anonymous: 401 },
  published: { owner: ownerPublished, otherOrganizer: 403, attendee: 403, anonymous: 401 },
});

const routes: RouteCase[] = [
  {
    route: 'GET /api/events/:id',
    request: (id) => ({ method: 'GET', url: `/api/events/${id}` }),
    expected: {
      draft: { owner: 200, otherOrganizer: 404, attendee: 404, anonymous: 404 },
      published: { owner: 200, otherOrganizer: 200, attendee: 200, anonymous: 200 },
    },
  },
  {
    route: 'PUT /api/events/:id',
    request: (id) => ({ method: 'PUT', url: `/api/events/${id}`, payload: eventBody({ name: 'Replaced' }) }),
    expected: writeStatus(200, 200),
  },
  {
    route: 'PATCH /api/events/:id',
    request: (id) => ({ method: 'PATCH', url: `/api/events/${id}`, payload: { capacity: 120 } }),
    expected: writeStatus(200, 200),
  },
  {
    route: 'POST /api/events/:id/publish',
    request: (id) => ({ method: 'POST', url: `/api/events/${id}/publish` }),
    expected: writeStatus(200, 409),
  },
  {
    route: 'POST /api/events/:id/unpublish',
    request: (id) => ({ method: 'POST', url: `/api/events/${id}/unpublish` }),
    expected: writeStatus(409, 200),
  },
  {
    route: 'POST /api/events/:id/cancel',
    request: (id) => ({ method: 'POST', url: `/api/events/${id}/cancel` }),
    expected: writeStatus(409, 200),
  },
  {
    route: 'DELETE /api/events/:id',
    request: (id) => ({ method: 'DELETE', url: `/api/events/${id}` }),
    expected: writeStatus(204, 409),
  },
  {
    route: 'POST /api/events/:id/image',
    request: (id) => {
      const { payload, headers } = multipartFile(png, 'poster.png', 'image/png');
      return { method: 'POST', url: `/api/events/${id}/image`, payload, headers };
    },
    expected: writeStatus(200, 200),
  },
];

describe.each(routes)('$route', ({ request, expected }) => {
  const cases = (['draft', 'published'] as State[]).flatMap((state) =>
    (Object.keys(expected[state]) as Who[]).map((who) => ({ state, who, status: expected[state][who] })),
  );
  it.each(cases)('on a $state event, $who gets $status', async ({ state, who, status }) => {
    const event = await createEvent(harness, actors.owner);
    if (state === 'published') await transition(harness, actors.owner, event.id, 'publish');
    const { headers, ...rest } = request(event.id);
    const response = await harness.app.inject({ ...rest, headers: { ...headers, ...actors[who].headers } } as never);
    expect(response.statusCode, response.body).toBe(status);
    if (status >= 400) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      const code = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'invalid_state' }[status];
      expect(response.json().code).toBe(code);
    }
  });
});

describe('POST /api/events', () => {
  it.each([
    ['owner', 201],
    ['otherOrganizer', 201],
    ['attendee', 403],
    ['anonymous', 401],
  ] as [Who, number][])('%s gets %i', async (who, status) => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: actors[who].headers,
      payload: eventBody(),
    });
    expect(response.statusCode).toBe(status);
  });

  it('refuses a tampered token with 401 rather than treating the caller as anonymous', async () => {
    const token = actors.owner.headers.authorization as string;
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { authorization: `${token.slice(0, -4)}AAAA` },
      payload: eventBody(),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('unauthorized');
  });
});

describe('GET /api/events', () => {
  it.each([
    ['owner', 200],
    ['otherOrganizer', 200],
    ['attendee', 200],
    ['anonymous', 200],
  ] as [Who, number][])('the public list answers %s with %i', async (who, status) => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/events', headers: actors[who].headers });
    expect(response.statusCode).toBe(status);
  });

  it.each([
    ['owner', 200],
    ['attendee', 403],
    ['anonymous', 401],
  ] as [Who, number][])('mine=true answers %s with %i', async (who, status) => {
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/events?mine=true',
      headers: actors[who].headers,
    });
    expect(response.statusCode).toBe(status);
  });

  it('mine=true shows only the caller’s own events, drafts included', async () => {
    const mineDraft = await createEvent(harness, actors.otherOrganizer, { name: 'Mine, still a draft' });
    await createEvent(harness, actors.owner, { name: 'Someone else’s draft' });
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/events?mine=true&limit=100',
      headers: actors.otherOrganizer.headers,
    });
    const items = response.json().items as { id: string; organizerId: string }[];
    expect(items.map((item) => item.id)).toContain(mineDraft.id);
    expect(
      items.every((item) => item.organizerId === (actors.otherOrganizer as { userId: string } & Actor).userId),
    ).toBe(true);
  });
});

describe('GET /api/events/:id/image/:file', () => {
  it('serves the image of a draft only through its unguessable versioned URL', async () => {
    const draft = await createEvent(harness, actors.owner);
    const { payload, headers } = multipartFile(png, 'poster.png', 'image/png');
    const upload = await harness.app.inject({
      method: 'POST',
      url: `/api/events/${draft.id}/image`,
      payload,
      headers: { ...headers, ...actors.owner.headers },
    });
    const { imageUrl } = upload.json();
    expect((await harness.app.inject({ method: 'GET', url: imageUrl })).statusCode).toBe(200);
    const redirect = (who: Who) =>
      harness.app.inject({ method: 'GET', url: `/api/events/${draft.id}/image`, headers: actors[who].headers });
    expect((await redirect('owner')).statusCode).toBe(302);
    expect((await redirect('otherOrganizer')).statusCode).toBe(404);
    expect((await redirect('anonymous')).statusCode).toBe(404);
  });
});
