import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  createEvent,
  createPublishedEvent,
  type Harness,
  startEventsHarness,
  transition,
} from './support/events-harness';

// Real: PostgreSQL full-text search (weighted tsvector, GIN) and pg_trgm, through the hosted service.
let harness: Harness;

beforeAll(async () => {
  harness = await startEventsHarness();
});
afterAll(() => harness?.close());

interface Listed {
  id: string;
  name: string;
  startTime: string;
}

async function list(query: Record<string, string>, actor?: Actor) {
  const response = await harness.app.inject({
    method: 'GET',
    url: `/api/events?${new URLSearchParams(query)}`,
    headers: actor?.headers ?? {},
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Listed[]; nextCursor: string | null };
}

const names = async (query: Record<string, string>) => (await list(query)).items.map((event) => event.name);

const day = 86_400_000;
const at = (days: number, hour = 18) => {
  const date = new Date(Date.now() + days * day);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
};
const span = (days: number, hours = 3) => ({ startTime: at(days), endTime: at(days, 18 + hours) });

describe('full-text search and filters', () => {
  let organizer: Actor & { userId: string };
  const mine = () => ({ organizerId: organizer.userId });

  beforeAll(async () => {
    organizer = await harness.auth.user('organizer');
    const publish = (overrides: Record<string, unknown>) => createPublishedEvent(harness, organizer, overrides);
    await publish({
      name: 'Berlin Jazz Festival',
      description: 'Three days of music by the river.',
      location: 'Tempodrom',
      city: 'Berlin',
      categories: ['music'],
      ...span(5),
    });
    await publish({
      name: 'Rock Night',
      description: 'Guitar bands with jazz influences.',
      location: 'SO36',
      city: 'Berlin',
      categories: ['music'],
      ...span(3),
    });
    await publish({
      name: 'TypeScript Meetup',
      description: 'Talks and pizza.',
      location: 'Jazz Club Hamburg',
      city: 'Hamburg',
      categories: ['tech'],
      ...span(4),
    });
    await publish({
      name: 'Poetry Evening',
      description: 'Readings.',
      location: 'Lyrik Kabinett',
      city: 'Munich',
      categories: ['arts'],
      ...span(2),
    });
    await createEvent(harness, organizer, { name: 'Jazz Brunch (draft)', ...span(6) });
    const cancelled = await createPublishedEvent(harness, organizer, { name: 'Jazz Cancelled', ...span(7) });
    await transition(harness, organizer, cancelled.id, 'cancel');
    await createPublishedEvent(harness, organizer, { name: 'Jazz Publication', ...span(8) });
    const past = await createEvent(harness, organizer, {
      name: 'Jazz Memories',
      startTime: '2026-01-10T18:00:00Z',
      endTime: '2026-01-10T21:00:00Z',
    });
    // Published while it was still upcoming, as far as the list cares: it has ended now.
    await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${past.id}`,
      headers: organizer.headers,
      payload: span(1),
    });
    await transition(harness, organizer, past.id, 'publish');
    await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${past.id}`,
      headers: organizer.headers,
      payload: { startTime: '2026-01-10T18:00:00Z', endTime: '2026-01-10T21:00:00Z' },
    });
  });

  it('ranks a match in the name above one in the description above one in the location', async () => {
    const found = await names({ ...mine(), q: 'jazz', sort: 'relevance' });
    expect(found).toEqual(['Berlin Jazz Festival', 'Jazz Publication', 'Rock Night', 'TypeScript Meetup']);
  });

  it('never lists drafts, cancelled events or events that have ended', async () => {
    const found = await names({ ...mine(), q: 'jazz' });
    expect(found).not.toContain('Jazz Brunch (draft)');
    expect(found).not.toContain('Jazz Cancelled');
    expect(found).not.toContain('Jazz Memories');
    expect(await names({ ...mine(), q: 'jazz', from: '2025-12-01T00:00:00Z' })).toContain('Jazz Memories');
  });

  it('stems words: "festivals" finds a festival', async () => {
    expect(await names({ ...mine(), q: 'festivals' })).toEqual(['Berlin Jazz Festival']);
  });

  it('understands web-search syntax: exclusion and phrases', async () => {
    expect(await names({ ...mine(), q: 'jazz -rock -publication', sort: 'relevance' })).toEqual([
      'Berlin Jazz Festival',
      'TypeScript Meetup',
    ]);
    expect(await names({ ...mine(), q: '"jazz festival"' })).toEqual(['Berlin Jazz Festival']);
  });

  it('tolerates typos when the exact words find nothing', async () => {
    expect((await names({ ...mine(), q: 'jaz festivl', sort: 'relevance' }))[0]).toBe('Berlin Jazz Festival');
    const berlin = await names({ ...mine(), q: 'Berln' });
    expect(berlin).toEqual(expect.arrayContaining(['Berlin Jazz Festival', 'Rock Night']));
    expect(berlin).not.toContain('Poetry Evening');
  });

  it('does not take filtered-out matches for a typo', async () => {
    const runner = await harness.auth.user('organizer');
    await createPublishedEvent(harness, runner, { name: 'Rock Night', categories: ['music'], ...span(3) });
    await createPublishedEvent(harness, runner, { name: 'Rocky Trail Run', categories: ['sports'], ...span(3) });
    expect(await names({ organizerId: runner.userId, q: 'rock', category: 'sports' })).toEqual([]);
    expect(await names({ organizerId: runner.userId, q: 'rockyy trail', category: 'sports' })).toEqual([
      'Rocky Trail Run',
    ]);
  });

  it('combines the query with category and city (case-insensitive)', async () => {
    expect(await names({ ...mine(), q: 'jazz', category: 'tech' })).toEqual(['TypeScript Meetup']);
    expect(await names({ ...mine(), q: 'jazz', city: 'berlin', sort: 'relevance' })).toEqual([
      'Berlin Jazz Festival',
      'Rock Night',
    ]);
    expect(await names({ ...mine(), category: 'arts' })).toEqual(['Poetry Evening']);
  });

  it('lists matches soonest first unless asked for relevance', async () => {
    expect(await names({ ...mine(), q: 'jazz' })).toEqual([
      'Rock Night',
      'TypeScript Meetup',
      'Berlin Jazz Festival',
      'Jazz Publication',
    ]);
  });

  it('lists soonest first without a query', async () => {
    const found = await list({ ...mine() });
    expect(found.items.map((event) => event.name)).toEqual([
      'Poetry Evening',
      'Rock Night',
      'TypeScript Meetup',
      'Berlin Jazz Festival',
      'Jazz Publication',
    ]);
  });

  it('filters by organizer', async () => {
    const stranger = await harness.auth.user('organizer');
    await createPublishedEvent(harness, stranger, { name: 'Jazz Elsewhere', ...span(5) });
    expect(await names({ organizerId: stranger.userId, q: 'jazz' })).toEqual(['Jazz Elsewhere']);
    expect(await names({ ...mine(), q: 'jazz' })).not.toContain('Jazz Elsewhere');
  });

  it('finds events overlapping from/to, ends excluded', async () => {
    // Rock Night runs 18:00–21:00 three days from now.
    const rock = { ...mine(), q: 'rock' };
    expect(await names({ ...rock, from: at(3, 20), to: at(3, 23) })).toEqual(['Rock Night']);
    expect(await names({ ...rock, from: at(3, 12), to: at(3, 19) })).toEqual(['Rock Night']);
    expect(await names({ ...rock, from: at(3, 21), to: at(3, 23) })).toEqual([]);
    expect(await names({ ...rock, from: at(3, 12), to: at(3, 18) })).toEqual([]);
  });
});

describe('query validation', () => {
  it.each([
    ['limit=0', 'limit=0'],
    ['limit=101', 'limit=101'],
    ['an unknown category', 'category=knitting'],
    ['a malformed from', 'from=yesterday'],
    ['to before from', 'from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z'],
    ['a cursor that is not one', 'cursor=not-a-cursor'],
    ['a malformed organizerId', 'organizerId=42'],
    ['an unknown sort', 'sort=popularity'],
  ])('answers 400 for %s', async (_case, query) => {
    const response = await harness.app.inject({ method: 'GET', url: `/api/events?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a cursor from a search for a list without one', async () => {
    const organizer = await harness.auth.user('organizer');
    await createPublishedEvent(harness, organizer, { name: 'Cursor Gala One' });
    await createPublishedEvent(harness, organizer, { name: 'Cursor Gala Two' });
    const page = await list({ organizerId: organizer.userId, q: 'gala', sort: 'relevance', limit: '1' });
    expect(page.nextCursor).not.toBeNull();
    const response = await harness.app.inject({
      method: 'GET',
      url: `/api/events?organizerId=${organizer.userId}&cursor=${page.nextCursor}`,
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('keyset pagination', () => {
  /** Walks every page, inserting events before and after the current position between pages. */
  async function walk(query: Record<string, string>, insertBetweenPages: (page: number) => Promise<void>) {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const result = await list({ ...query, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) break;
      await insertBetweenPages(page);
    }
    return seen;
  }

  it('returns every event exactly once, soonest first, while events are being added', async () => {
    const organizer = await harness.auth.user('organizer');
    const originals: string[] = [];
    for (let i = 0; i < 30; i++) {
      // Pairs share a start time, so the order must fall back to the id.
      const event = await createPublishedEvent(harness, organizer, {
        name: `Series ${i}`,
        ...span(2 + Math.floor(i / 2)),
      });
      originals.push(event.id);
    }
    const added: string[] = [];
    const seen = await walk({ organizerId: organizer.userId, limit: '7' }, async (page) => {
      const early = await createPublishedEvent(harness, organizer, { name: `Early ${page}`, ...span(1) });
      const late = await createPublishedEvent(harness, organizer, { name: `Late ${page}`, ...span(40 + page) });
      added.push(early.id, late.id);
    });
    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of originals) expect(ids.filter((seenId) => seenId === id)).toHaveLength(1);
    const starts = seen.map((event) => event.startTime);
    expect([...starts].sort()).toEqual(starts);
    // Rows inserted behind the cursor are not seen on later pages; those ahead of it are.
    expect(ids.filter((id) => added.includes(id)).length).toBeGreaterThan(0);
  });

  it('pages through ranked search results without duplicates or gaps', async () => {
    const organizer = await harness.auth.user('organizer');
    const originals: string[] = [];
    for (let i = 0; i < 17; i++) {
      const event = await createPublishedEvent(harness, organizer, {
        name: i % 3 === 0 ? `Winter Gala ${i}` : `Evening ${i}`,
        description: i % 3 === 0 ? 'Black tie.' : 'A gala dinner with music.',
        ...span(2 + (i % 4)),
      });
      originals.push(event.id);
    }
    const seen = await walk(
      { organizerId: organizer.userId, q: 'gala', sort: 'relevance', limit: '4' },
      async (page) => {
        await createPublishedEvent(harness, organizer, { name: `Late Gala ${page}`, ...span(3) });
      },
    );
    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of originals) expect(ids).toContain(id);
    const firstDescriptionMatch = seen.findIndex((event) => event.name.startsWith('Evening'));
    expect(seen.slice(0, firstDescriptionMatch).every((event) => event.name.includes('Gala'))).toBe(true);

    const soonest = await walk({ organizerId: organizer.userId, q: 'gala', limit: '5' }, async (page) => {
      await createPublishedEvent(harness, organizer, { name: `Later Gala ${page}`, ...span(30) });
    });
    const soonestIds = soonest.map((event) => event.id);
    expect(new Set(soonestIds).size).toBe(soonestIds.length);
    for (const id of originals) expect(soonestIds).toContain(id);
    const starts = soonest.map((event) => event.startTime);
    expect([...starts].sort()).toEqual(starts);
  });
});
