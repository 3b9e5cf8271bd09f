import { EventState } from '@echoplex/contracts';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  createEvent,
  eventBody,
  type Harness,
  recordTopic,
  startEventsHarness,
} from './support/events-harness';

// Real: PostgreSQL, outbox relay and the in-process bus, test-signed tokens.
let harness: Harness;
let organizer: Actor & { userId: string };

beforeAll(async () => {
  harness = await startEventsHarness();
  organizer = await harness.auth.user('organizer');
});
afterAll(() => harness?.close());

const patch = (id: string, payload: object, actor: Actor = organizer) =>
  harness.app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: actor.headers, payload });
const read = async (id: string) =>
  (await harness.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: organizer.headers })).json();

describe("the event's refund policy and ticket cap per account", () => {
  it('default to refunds until the start, following it when it moves, and no cap', async () => {
    const event = await createEvent(harness, organizer);
    expect(event).toMatchObject({ refundPolicy: { selfServiceUntil: event.startTime }, maxTicketsPerAccount: null });

    const later = eventBody({}, 24 * 8);
    const moved = (await patch(event.id, { startTime: later.startTime, endTime: later.endTime })).json();
    expect(moved.refundPolicy).toEqual({ selfServiceUntil: later.startTime });
  });

  it('are set on create and changed by the owner; null brings the default back', async () => {
    const deadline = new Date(Date.parse(eventBody().startTime) - 48 * 3_600_000).toISOString();
    const event = await createEvent(harness, organizer, {
      refundPolicy: { selfServiceUntil: deadline },
      maxTicketsPerAccount: 4,
    });
    expect(event).toMatchObject({ refundPolicy: { selfServiceUntil: deadline }, maxTicketsPerAccount: 4 });

    const changed = await patch(event.id, { maxTicketsPerAccount: 2 });
    expect(changed.json()).toMatchObject({ refundPolicy: { selfServiceUntil: deadline }, maxTicketsPerAccount: 2 });
    const cleared = await patch(event.id, { refundPolicy: { selfServiceUntil: null }, maxTicketsPerAccount: null });
    expect(cleared.json()).toMatchObject({
      refundPolicy: { selfServiceUntil: event.startTime },
      maxTicketsPerAccount: null,
    });
  });

  it('refuse a deadline after the end and a cap below one with 422, changing nothing', async () => {
    const event = await createEvent(harness, organizer, { maxTicketsPerAccount: 3 });
    const afterEnd = new Date(Date.parse(event.endTime) + 1_000).toISOString();

    const late = await patch(event.id, { refundPolicy: { selfServiceUntil: afterEnd } });
    expect(late.statusCode).toBe(422);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.json()).toMatchObject({
      code: 'invalid_date_range',
      errors: [{ path: 'body.refundPolicy.selfServiceUntil' }],
    });
    for (const maxTicketsPerAccount of [0, -1, 2.5, '3']) {
      const bad = await patch(event.id, { maxTicketsPerAccount });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().code).toBe('validation_failed');
    }
    const created = await harness.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: organizer.headers,
      payload: eventBody({ refundPolicy: { selfServiceUntil: 'tomorrow' } }),
    });
    expect(created.statusCode).toBe(422);
    expect(await read(event.id)).toMatchObject({
      refundPolicy: { selfServiceUntil: event.startTime },
      maxTicketsPerAccount: 3,
    });
  });

  it('are changed by the owner only', async () => {
    const event = await createEvent(harness, organizer);
    const stranger = await harness.auth.user('organizer');
    const refused = await patch(event.id, { maxTicketsPerAccount: 1 }, stranger);
    expect(refused.statusCode).toBe(404);
    expect((await read(event.id)).maxTicketsPerAccount).toBeNull();
  });

  it('are announced on events.event.v1 for the services that sell tickets', async () => {
    const recorder = await recordTopic(harness.transport, 'events.event.v1');
    const event = await createEvent(harness, organizer, { maxTicketsPerAccount: 6 });
    const deadline = new Date(Date.parse(event.startTime) - 3_600_000).toISOString();
    await patch(event.id, { refundPolicy: { selfServiceUntil: deadline } });

    const received = await eventually(
      async () => recorder.received.filter((message) => message.key === event.id),
      (messages) => messages.length >= 2,
    );
    await recorder.stop();
    expect(received.map((message) => EventState.parse(message.data))).toMatchObject([
      { refundPolicy: { selfServiceUntil: event.startTime }, maxTicketsPerAccount: 6 },
      { refundPolicy: { selfServiceUntil: deadline }, maxTicketsPerAccount: 6 },
    ]);
  });
});
