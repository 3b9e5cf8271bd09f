import { createDatabase, sql } from '@echoplex/db';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, createPublishedEvent, type Harness, startEventsHarness } from './support/events-harness';

// Real: PostgreSQL with its LISTEN/NOTIFY, the hosted service. The "other instance" is a plain SQL
// connection writing to the same database, as any other process would.
let harness: Harness;
let organizer: Actor;

beforeAll(async () => {
  harness = await startEventsHarness();
  organizer = await harness.auth.user('organizer');
});
afterAll(() => harness?.close());

const read = async (id: string) => (await harness.app.inject({ method: 'GET', url: `/api/events/${id}` })).json();

describe('the event read cache', () => {
  it('lets a writer read its own write at once', async () => {
    const event = await createPublishedEvent(harness, organizer);
    expect((await read(event.id)).name).toBe(event.name);
    await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: { name: 'Renamed at once' },
    });
    expect((await read(event.id)).name).toBe('Renamed at once');
  });

  it('forgets an event changed by another process as soon as the change is committed', async () => {
    const event = await createPublishedEvent(harness, organizer);
    expect((await read(event.id)).name).toBe(event.name);
    const other = createDatabase<unknown>({ url: harness.databaseUrl, poolMax: 1 });
    try {
      await sql`update events.events set name = 'Renamed elsewhere' where id = ${event.id}`.execute(other.kysely);
      expect(
        (
          await eventually(
            () => read(event.id),
            (body) => body.name === 'Renamed elsewhere',
          )
        ).name,
      ).toBe('Renamed elsewhere');
      await sql`delete from events.events where id = ${event.id}`.execute(other.kysely);
      const gone = await eventually(
        () => harness.app.inject({ method: 'GET', url: `/api/events/${event.id}` }),
        (response) => response.statusCode === 404,
      );
      expect(gone.statusCode).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('serves the cached body with the same shape and content type as a fresh one', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const first = await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}` });
    const second = await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}` });
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.json()).toEqual(first.json());
    expect(second.json()).toEqual(event);
  });
});
