import { EventDeleted, EventState } from '@echoplex/contracts';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  anonymous,
  createEvent,
  createPublishedEvent,
  eventBody,
  type Harness,
  recordTopic,
  startEventsHarness,
  transition,
} from './support/events-harness';

// Real: PostgreSQL, outbox relay and the in-process bus, test-signed tokens.
let harness: Harness;
let organizer: Actor & { userId: string };

beforeAll(async () => {
  harness = await startEventsHarness();
  organizer = await harness.auth.user('organizer');
});
afterAll(() => harness?.close());

const post = (payload: unknown) =>
  harness.app.inject({ method: 'POST', url: '/api/events', headers: organizer.headers, payload: payload as object });

describe('creating', () => {
  it('creates a draft owned by the caller, with defaults for what was left out', async () => {
    const body = eventBody({ timezone: undefined, categories: undefined, city: undefined, country: undefined });
    const response = await post(body);
    expect(response.statusCode).toBe(201);
    const event = response.json();
    expect(response.headers.location).toBe(`/api/events/${event.id}`);
    expect(event).toMatchObject({
      organizerId: organizer.userId,
      name: body.name,
      startTime: body.startTime,
      endTime: body.endTime,
      timezone: 'UTC',
      city: null,
      country: null,
      online: false,
      categories: [],
      imageUrl: null,
      status: 'draft',
      soldOut: false,
      publishedAt: null,
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('stores times in UTC whatever offset they were sent with', async () => {
    const event = (
      await post(eventBody({ startTime: '2031-05-01T20:00:00+02:00', endTime: '2031-05-01T23:30:00+02:00' }))
    ).json();
    expect(event.startTime).toBe('2031-05-01T18:00:00.000Z');
    expect(event.endTime).toBe('2031-05-01T21:30:00.000Z');
  });

  it.each([
    ['ends before it starts', { startTime: '2031-05-01T20:00:00Z', endTime: '2031-05-01T19:00:00Z' }],
    ['ends when it starts', { startTime: '2031-05-01T20:00:00Z', endTime: '2031-05-01T20:00:00Z' }],
    ['lasts longer than a year', { startTime: '2031-05-01T20:00:00Z', endTime: '2032-06-01T20:00:00Z' }],
  ])('answers 422 invalid_date_range when the event %s', async (_case, times) => {
    const response = await post(eventBody(times));
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'invalid_date_range', status: 422 });
  });

  it.each([
    ['a missing name', { name: undefined }],
    ['an empty name', { name: '   ' }],
    ['a name over 200 characters', { name: 'x'.repeat(201) }],
    ['a description over 10,000 characters', { description: 'x'.repeat(10_001) }],
    ['capacity 0', { capacity: 0 }],
    ['a fractional capacity', { capacity: 2.5 }],
    ['a capacity over a million', { capacity: 1_000_001 }],
    ['an unknown category', { categories: ['knitting'] }],
    ['six categories', { categories: ['music', 'arts', 'food', 'tech', 'business', 'other'] }],
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }],
    ['an offset instead of a time zone', { timezone: '+02:00' }],
    ['a date that does not exist', { startTime: '2031-02-30T10:00:00Z' }],
    ['a time without a zone', { startTime: '2031-05-01T20:00:00' }],
    ['a country that is not an ISO code', { country: 'Germany' }],
    ['a capacity sent as a string', { capacity: '100' }],
  ])('answers 422 validation_failed for %s', async (_case, overrides) => {
    const response = await post(eventBody(overrides));
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('validation_failed');
    expect(response.json().errors.length).toBeGreaterThan(0);
  });

  it('accepts time zone names newer than the runtime’s canonical list', async () => {
    expect((await post(eventBody({ timezone: 'Europe/Kyiv' }))).statusCode).toBe(201);
    expect((await post(eventBody({ timezone: 'UTC' }))).statusCode).toBe(201);
  });

  it('answers 400 for malformed JSON and writes nothing', async () => {
    const before = (
      await harness.app.inject({ method: 'GET', url: '/api/events?mine=true', headers: organizer.headers })
    ).json().items.length;
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { ...organizer.headers, 'content-type': 'application/json' },
      payload: '{"name": "broken"',
    });
    expect(response.statusCode).toBe(400);
    const after = (
      await harness.app.inject({ method: 'GET', url: '/api/events?mine=true', headers: organizer.headers })
    ).json().items.length;
    expect(after).toBe(before);
  });
});

describe('updating', () => {
  it('PATCH changes only what is sent and null clears an optional field', async () => {
    const event = await createEvent(harness, organizer);
    const response = await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: { name: 'Renamed', city: null },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Renamed', city: null, location: event.location, capacity: 100 });
    expect(response.json().updatedAt >= event.updatedAt).toBe(true);
  });

  it('PUT replaces the whole event', async () => {
    const event = await createEvent(harness, organizer, { categories: ['music', 'arts'] });
    const replacement = eventBody({ name: 'All new', categories: undefined, country: undefined });
    const response = await harness.app.inject({
      method: 'PUT',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: replacement,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'All new', categories: [], country: null });
  });

  it('PUT requires every required field', async () => {
    const event = await createEvent(harness, organizer);
    const response = await harness.app.inject({
      method: 'PUT',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: { name: 'Only a name' },
    });
    expect(response.statusCode).toBe(422);
  });

  it('judges a PATCH of one end of the schedule against the other end', async () => {
    const event = await createEvent(harness, organizer);
    const response = await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: { endTime: event.startTime },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('invalid_date_range');
    const unchanged = (
      await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}`, headers: organizer.headers })
    ).json();
    expect(unchanged.endTime).toBe(event.endTime);
  });
});

describe('the lifecycle', () => {
  it('goes draft → published → draft → published → cancelled', async () => {
    const event = await createEvent(harness, organizer);
    const published = await transition(harness, organizer, event.id, 'publish');
    expect(published).toMatchObject({ status: 'published' });
    expect(published.publishedAt).not.toBeNull();
    expect((await transition(harness, organizer, event.id, 'unpublish')).status).toBe('draft');
    expect((await transition(harness, organizer, event.id, 'publish')).status).toBe('published');
    expect((await transition(harness, organizer, event.id, 'cancel')).status).toBe('cancelled');
    const seen = await harness.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: anonymous.headers,
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().status).toBe('cancelled');
  });

  it('lets a draft that was public before be cancelled', async () => {
    const event = await createPublishedEvent(harness, organizer);
    await transition(harness, organizer, event.id, 'unpublish');
    expect((await transition(harness, organizer, event.id, 'cancel')).status).toBe('cancelled');
  });

  type Setup = 'draft' | 'published' | 'cancelled' | 'ended draft';
  const setUp = async (state: Setup) => {
    if (state === 'ended draft') {
      return createEvent(harness, organizer, { startTime: '2020-03-01T18:00:00Z', endTime: '2020-03-01T21:00:00Z' });
    }
    const event = await createEvent(harness, organizer);
    if (state === 'draft') return event;
    await transition(harness, organizer, event.id, 'publish');
    if (state === 'cancelled') await transition(harness, organizer, event.id, 'cancel');
    return event;
  };

  it.each([
    ['draft', 'POST', 'unpublish'],
    ['draft', 'POST', 'cancel'],
    ['ended draft', 'POST', 'publish'],
    ['published', 'POST', 'publish'],
    ['published', 'DELETE', ''],
    ['cancelled', 'POST', 'publish'],
    ['cancelled', 'POST', 'unpublish'],
    ['cancelled', 'POST', 'cancel'],
    ['cancelled', 'PATCH', ''],
    ['cancelled', 'PUT', ''],
    ['cancelled', 'DELETE', ''],
  ] as [Setup, 'POST' | 'PATCH' | 'PUT' | 'DELETE', string][])(
    'refuses on a %s event: %s %s → 409 invalid_state',
    async (state, method, action) => {
      const event = await setUp(state);
      const payload = method === 'PUT' ? eventBody() : method === 'PATCH' ? { name: 'Too late' } : undefined;
      const response = await harness.app.inject({
        method,
        url: `/api/events/${event.id}${action ? `/${action}` : ''}`,
        headers: organizer.headers,
        ...(payload ? { payload } : {}),
      });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().code).toBe('invalid_state');
      const after = (
        await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}`, headers: organizer.headers })
      ).json();
      expect(after.status).toBe(state === 'ended draft' ? 'draft' : state);
    },
  );

  it('deletes a draft: it is gone afterwards', async () => {
    const event = await createEvent(harness, organizer);
    const response = await harness.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const gone = await harness.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
    const unknown = await harness.app.inject({
      method: 'GET',
      url: '/api/events/0190b3a4-0000-7000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    expect((await harness.app.inject({ method: 'GET', url: '/api/events/not-a-uuid' })).statusCode).toBe(400);
  });

  it('lists only published events: drafts and cancelled events stay out', async () => {
    const draft = await createEvent(harness, organizer);
    const published = await createPublishedEvent(harness, organizer);
    const cancelled = await createPublishedEvent(harness, organizer);
    await transition(harness, organizer, cancelled.id, 'cancel');
    const listed = (
      await harness.app.inject({ method: 'GET', url: `/api/events?organizerId=${organizer.userId}&limit=100` })
    ).json().items as { id: string }[];
    const ids = listed.map((event) => event.id);
    expect(ids).toContain(published.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(cancelled.id);
  });
});

describe('announcing changes on events.event.v1', () => {
  it('publishes one CloudEvent per change, keyed by the event id, with the event state', async () => {
    const recorder = await recordTopic(harness.transport, 'events.event.v1');
    const event = await createEvent(harness, organizer);
    await harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
      payload: { capacity: 250 },
    });
    await transition(harness, organizer, event.id, 'publish');
    await transition(harness, organizer, event.id, 'unpublish');
    await transition(harness, organizer, event.id, 'publish');
    await transition(harness, organizer, event.id, 'cancel');
    const draft = await createEvent(harness, organizer);
    await harness.app.inject({ method: 'DELETE', url: `/api/events/${draft.id}`, headers: organizer.headers });

    const expected = [
      'event.created',
      'event.updated',
      'event.published',
      'event.unpublished',
      'event.published',
      'event.cancelled',
    ];
    const received = await eventually(
      async () => recorder.received.filter((message) => message.key === event.id || message.key === draft.id),
      (messages) => messages.length >= expected.length + 2,
    );
    await recorder.stop();

    const ofEvent = received.filter((message) => message.key === event.id);
    expect(ofEvent.map((message) => message.type)).toEqual(expected);
    for (const message of ofEvent) {
      expect(EventState.parse(message.data)).toEqual(message.data);
      expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_source: 'events', ce_subject: event.id });
    }
    expect(ofEvent[1]?.data).toMatchObject({ eventId: event.id, organizerId: organizer.userId, capacity: 250 });
    expect(ofEvent.at(-1)?.data.status).toBe('cancelled');

    const ofDraft = received.filter((message) => message.key === draft.id);
    expect(ofDraft.map((message) => message.type)).toEqual(['event.created', 'event.deleted']);
    expect(EventDeleted.parse(ofDraft[1]?.data)).toEqual({ eventId: draft.id, organizerId: organizer.userId });
  });

  it('announces nothing for a refused change', async () => {
    const recorder = await recordTopic(harness.transport, 'events.event.v1');
    const event = await createEvent(harness, organizer);
    const refused = await harness.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/cancel`,
      headers: organizer.headers,
    });
    expect(refused.statusCode).toBe(409);
    await transition(harness, organizer, event.id, 'publish');
    const received = await eventually(
      async () => recorder.received.filter((message) => message.key === event.id),
      (messages) => messages.length >= 2,
    );
    await recorder.stop();
    expect(received.map((message) => message.type)).toEqual(['event.created', 'event.published']);
  });
});
