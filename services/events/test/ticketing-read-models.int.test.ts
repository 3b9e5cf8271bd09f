import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  createEvent,
  createPublishedEvent,
  type Harness,
  publishFromTicketing,
  startEventsHarness,
  transition,
} from './support/events-harness';

// Real: PostgreSQL, the service's consumers with their inbox, the in-process bus. The messages are
// the CloudEvents ticketing publishes, built from the shared contracts.
let harness: Harness;
let organizer: Actor & { userId: string };

beforeAll(async () => {
  harness = await startEventsHarness();
  organizer = await harness.auth.user('organizer');
});
afterAll(() => harness?.close());

const readEvent = async (id: string) =>
  (await harness.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: organizer.headers })).json();

describe('soldOut from ticketing.availability.v1', () => {
  const availability = (eventId: string, ticketTypeId: string, available: number, version: number) =>
    publishFromTicketing(harness.transport, 'ticketing.availability.v1', 'availability.changed', ticketTypeId, {
      eventId,
      ticketTypeId,
      available,
      quantity: 50,
      version,
    });

  it('flips when every ticket type has nothing left, and back when seats return', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const [standard, vip] = [randomUUID(), randomUUID()];

    await availability(event.id, standard, 3, 1);
    await availability(event.id, vip, 0, 1);
    await eventually(
      () => harness.handledBy('events.availability'),
      (n) => n >= 2,
    );
    expect((await readEvent(event.id)).soldOut).toBe(false);

    await availability(event.id, standard, 0, 2);
    expect(
      (
        await eventually(
          () => readEvent(event.id),
          (e) => e.soldOut,
        )
      ).soldOut,
    ).toBe(true);

    // An older version arriving late changes nothing.
    const before = await harness.handledBy('events.availability');
    await availability(event.id, standard, 3, 1);
    await eventually(
      () => harness.handledBy('events.availability'),
      (n) => n > before,
    );
    expect((await readEvent(event.id)).soldOut).toBe(true);

    await availability(event.id, vip, 5, 2);
    expect(
      (
        await eventually(
          () => readEvent(event.id),
          (e) => !e.soldOut,
        )
      ).soldOut,
    ).toBe(false);
  });

  it('is true when the only open ticket type is deleted, and stays so if its availability arrives late', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const [soldOut, open] = [randomUUID(), randomUUID()];
    const handledBefore = await harness.handledBy('events.availability');
    await availability(event.id, soldOut, 0, 4);
    await availability(event.id, open, 10, 1);
    await publishFromTicketing(harness.transport, 'ticketing.ticket-type.v1', 'ticket_type.deleted', event.id, {
      eventId: event.id,
      ticketTypeId: open,
    });
    // The topics are consumed in parallel: the sold-out type alone already reads as sold out, so wait
    // for all three messages before looking.
    await eventually(
      () => harness.handledBy('events.availability'),
      (n) => n >= handledBefore + 3,
    );
    expect((await readEvent(event.id)).soldOut).toBe(true);

    const before = await harness.handledBy('events.availability');
    await availability(event.id, open, 10, 2);
    await eventually(
      () => harness.handledBy('events.availability'),
      (n) => n > before,
    );
    expect((await readEvent(event.id)).soldOut).toBe(true);
  });

  it('handles a redelivered message once', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const ticketType = randomUUID();
    const id = await availability(event.id, ticketType, 0, 1);
    await eventually(
      () => readEvent(event.id),
      (e) => e.soldOut,
    );
    const before = await harness.handledBy('events.availability');
    await publishFromTicketing(
      harness.transport,
      'ticketing.availability.v1',
      'availability.changed',
      ticketType,
      { eventId: event.id, ticketTypeId: ticketType, available: 0, quantity: 50, version: 1 },
      id,
    );
    // Same key, so it is handled after the redelivery: by then the redelivery added nothing.
    await availability(event.id, ticketType, 0, 2);
    await eventually(
      () => harness.handledBy('events.availability'),
      (n) => n > before,
    );
    expect(await harness.handledBy('events.availability')).toBe(before + 1);
  });
});

describe('seats taken from ticketing.registration.v1', () => {
  const registration = (eventId: string, registrationId: string, quantity: number) => ({
    registrationId,
    eventId,
    ticketTypeId: randomUUID(),
    userId: randomUUID(),
    quantity,
    amount: 2500 * quantity,
    currency: 'eur',
    occurredAt: new Date().toISOString(),
  });
  let handled = 0;
  const send = async (
    type: 'registration.held' | 'registration.confirmed' | 'registration.cancelled' | 'registration.expired',
    data: ReturnType<typeof registration>,
  ) => {
    const payload =
      type === 'registration.held'
        ? { ...data, expiresAt: new Date(Date.now() + 600_000).toISOString() }
        : type === 'registration.cancelled'
          ? { ...data, reason: 'attendee' as const, refundRequested: false }
          : data;
    await publishFromTicketing(harness.transport, 'ticketing.registration.v1', type, data.eventId, payload as never);
    handled++;
    await eventually(
      () => harness.handledBy('events.registrations'),
      (n) => n >= handled,
    );
  };
  const setCapacity = (id: string, capacity: number) =>
    harness.app.inject({
      method: 'PATCH',
      url: `/api/events/${id}`,
      headers: organizer.headers,
      payload: { capacity },
    });

  it('keeps capacity from dropping below held and confirmed seats', async () => {
    const event = await createPublishedEvent(harness, organizer, { capacity: 10 });
    const first = registration(event.id, randomUUID(), 3);
    const second = registration(event.id, randomUUID(), 2);
    await send('registration.held', first);
    await send('registration.confirmed', first);
    await send('registration.confirmed', second);

    const refused = await setCapacity(event.id, 4);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'capacity_exceeded', seatsTaken: 5 });
    expect((await readEvent(event.id)).capacity).toBe(10);
    expect((await setCapacity(event.id, 5)).statusCode).toBe(200);

    await send('registration.cancelled', second);
    expect((await setCapacity(event.id, 3)).statusCode).toBe(200);
    expect((await setCapacity(event.id, 2)).statusCode).toBe(409);
  });

  it('gives back only seats that were counted, once', async () => {
    const event = await createPublishedEvent(harness, organizer, { capacity: 10 });
    const held = registration(event.id, randomUUID(), 4);
    await send('registration.held', held);
    await send('registration.expired', held);
    await send('registration.expired', held);
    await send('registration.cancelled', registration(event.id, randomUUID(), 6));
    expect((await setCapacity(event.id, 1)).statusCode).toBe(200);

    // A hold that expired and was re-reserved when payment arrived takes its seats again.
    expect((await setCapacity(event.id, 10)).statusCode).toBe(200);
    await send('registration.confirmed', held);
    expect((await setCapacity(event.id, 3)).statusCode).toBe(409);
  });

  it('refuses to unpublish while people hold seats, and allows it once they are released', async () => {
    const event = await createPublishedEvent(harness, organizer);
    const held = registration(event.id, randomUUID(), 1);
    await send('registration.held', held);
    const refused = await harness.app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/unpublish`,
      headers: organizer.headers,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('invalid_state');

    await send('registration.expired', held);
    expect((await transition(harness, organizer, event.id, 'unpublish')).status).toBe('draft');

    // It had a registration once, so it is cancelled rather than deleted.
    const deleted = await harness.app.inject({
      method: 'DELETE',
      url: `/api/events/${event.id}`,
      headers: organizer.headers,
    });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().code).toBe('invalid_state');
    expect((await transition(harness, organizer, event.id, 'cancel')).status).toBe('cancelled');
  });

  it('ignores registrations of events it does not know', async () => {
    const draft = await createEvent(harness, organizer);
    await send('registration.held', registration(randomUUID(), randomUUID(), 2));
    expect((await setCapacity(draft.id, 1)).statusCode).toBe(200);
  });
});
