import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  createPublishedEvent,
  type Harness,
  publishFromTicketing,
  recordTopic,
  startEventsHarness,
} from './support/events-harness';

// Real: PostgreSQL and the run's Kafka broker, as in distributed mode.
describe('over Kafka', () => {
  let harness: Harness;
  let organizer: Actor;

  beforeAll(async () => {
    harness = await startEventsHarness({ bus: 'kafka' });
    organizer = await harness.auth.user('organizer');
  });
  afterAll(() => harness?.close());

  it('publishes event changes to events.event.v1 and learns sold-out from ticketing.availability.v1', {
    timeout: 60_000,
  }, async () => {
    const recorder = await recordTopic(harness.transport, 'events.event.v1');
    const event = await createPublishedEvent(harness, organizer);
    const received = await eventually(
      async () => recorder.received.filter((message) => message.key === event.id),
      (messages) => messages.length >= 2,
      30_000,
    );
    await recorder.stop();
    expect(received.map((message) => message.type)).toEqual(['event.created', 'event.published']);
    expect(received[1]?.data).toMatchObject({ eventId: event.id, status: 'published' });

    const ticketTypeId = randomUUID();
    await publishFromTicketing(harness.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId: event.id,
      ticketTypeId,
      available: 0,
      quantity: 20,
      version: 1,
    });
    const seen = await eventually(
      async () => (await harness.app.inject({ method: 'GET', url: `/api/events/${event.id}` })).json(),
      (body) => body.soldOut === true,
      30_000,
    );
    expect(seen.soldOut).toBe(true);
  });
});
