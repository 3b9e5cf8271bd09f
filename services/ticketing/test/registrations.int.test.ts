import { randomUUID } from 'node:crypto';
import { AvailabilityChanged } from '@echoplex/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, seatAccounts } from './support/scenario';
import {
  committedEvents,
  eventState,
  hours,
  minutes,
  publishedEventually,
  startTicketing,
  type Ticketing,
} from './support/ticketing-harness';

// Real: PostgreSQL, the whole service as production hosts it, its consumers and outbox relay on the
// in-process bus. Business time is the test's clock.
describe('registrations', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing({ holdMinutes: 15 });
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  it('confirms a free registration at once, with one confirmation code per ticket', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ maxPerOrder: 5 }] });
    const buyer = await t.auth.user('attendee');
    const response = await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 3 });
    expect(response.statusCode).toBe(201);
    const registration = response.json();
    expect(registration).toMatchObject({
      userId: buyer.userId,
      eventId,
      quantity: 3,
      status: 'confirmed',
      amount: 0,
      currency: 'eur',
      expiresAt: null,
    });
    const codes = [registration.code, ...registration.tickets.map((ticket: { code: string }) => ticket.code)];
    expect(registration.tickets).toHaveLength(3);
    expect(new Set(codes).size).toBe(4);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    const confirmed = await publishedEventually(
      t,
      'registration.confirmed',
      (data) => data.registrationId === registration.id,
    );
    expect(confirmed[0]).toMatchObject({ userId: buyer.userId, quantity: 3, amount: 0 });
  });

  it('holds a paid registration as pending until the configured hold time', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ price: 2500, quantity: 5 }] });
    const buyer = await t.auth.user('attendee');
    const response = await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 2 });
    expect(response.statusCode).toBe(201);
    const expiresAt = new Date(t.clock.current.getTime() + minutes(15)).toISOString();
    expect(response.json()).toMatchObject({ status: 'pending', amount: 5000, expiresAt });
    const held = await publishedEventually(
      t,
      'registration.held',
      (data) => data.registrationId === response.json().id,
    );
    expect(held[0]).toMatchObject({ amount: 5000, currency: 'eur', userId: buyer.userId, expiresAt });
  });

  describe('sales window and event state', () => {
    it('opens sales exactly at salesStart and closes them exactly at salesEnd', async () => {
      const start = new Date(t.clock.current.getTime() + hours(1));
      const end = new Date(start.getTime() + hours(1));
      const { eventId, ticketTypes } = await publishedEvent(t, {
        ticketTypes: [{ salesStart: start.toISOString(), salesEnd: end.toISOString() }],
      });
      const attempt = async (at: Date) => {
        t.clock.current = at;
        const buyer = await t.auth.user('attendee');
        return (await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json();
      };
      const before = t.clock.current;
      try {
        expect(await attempt(new Date(start.getTime() - 1))).toMatchObject({ status: 409, code: 'sales_not_open' });
        expect(await attempt(start)).toMatchObject({ status: 'confirmed' });
        expect(await attempt(new Date(end.getTime() - 1))).toMatchObject({ status: 'confirmed' });
        expect(await attempt(end)).toMatchObject({ status: 409, code: 'sales_closed' });
      } finally {
        t.clock.current = before;
      }
    });

    it('refuses drafts, cancelled events and events that have started with event_not_open', async () => {
      const draft = await publishedEvent(t, { event: { status: 'draft' } });
      const buyer = await t.auth.user('attendee');
      expect(
        (await register(t, buyer, { eventId: draft.eventId, ticketTypeId: draft.ticketTypes[0]?.id })).json(),
      ).toMatchObject({
        status: 409,
        code: 'event_not_open',
      });

      const cancelled = await publishedEvent(t);
      await t.publishEvent('event.cancelled', { ...cancelled.state, status: 'cancelled' });
      expect(
        (await register(t, buyer, { eventId: cancelled.eventId, ticketTypeId: cancelled.ticketTypes[0]?.id })).json(),
      ).toMatchObject({ status: 409, code: 'event_not_open' });

      const soon = await publishedEvent(t, {
        event: { startTime: new Date(t.clock.current.getTime() + hours(1)).toISOString() },
      });
      const before = t.clock.current;
      t.clock.advance(hours(1));
      try {
        expect(
          (await register(t, buyer, { eventId: soon.eventId, ticketTypeId: soon.ticketTypes[0]?.id })).json(),
        ).toMatchObject({ status: 409, code: 'event_not_open' });
      } finally {
        t.clock.current = before;
      }
    });

    it('answers 404 for an unknown event or a ticket type of another event', async () => {
      const one = await publishedEvent(t);
      const other = await publishedEvent(t);
      const buyer = await t.auth.user('attendee');
      expect(
        (await register(t, buyer, { eventId: randomUUID(), ticketTypeId: one.ticketTypes[0]?.id })).statusCode,
      ).toBe(404);
      expect(
        (await register(t, buyer, { eventId: one.eventId, ticketTypeId: other.ticketTypes[0]?.id })).statusCode,
      ).toBe(404);
    });
  });

  describe('quantity limits', () => {
    it('takes orders between minPerOrder and maxPerOrder and refuses the rest with quantity_out_of_range', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, {
        ticketTypes: [{ minPerOrder: 2, maxPerOrder: 4, quantity: 20 }],
      });
      const ticketTypeId = ticketTypes[0]?.id;
      const outcome = async (quantity: number) => {
        const buyer = await t.auth.user('attendee');
        const body = (await register(t, buyer, { eventId, ticketTypeId, quantity })).json();
        return body.code && body.status === 422 ? body.code : body.status;
      };
      expect(await outcome(0)).toBe('quantity_out_of_range');
      expect(await outcome(1)).toBe('quantity_out_of_range');
      expect(await outcome(2)).toBe('confirmed');
      expect(await outcome(4)).toBe('confirmed');
      expect(await outcome(5)).toBe('quantity_out_of_range');
      expect(await outcome(-3)).toBe('quantity_out_of_range');
    });

    it('rejects malformed bodies with 422 and writes nothing', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t);
      const buyer = await t.auth.user('attendee');
      const bad = [
        { eventId: 'nope', ticketTypeId: ticketTypes[0]?.id },
        { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 1.5 },
        { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: '2' },
        { eventId, ticketTypeId: ticketTypes[0]?.id, attendees: [{ firstName: 'A', lastName: 'B', email: 'x' }] },
      ];
      for (const body of bad) expect((await register(t, buyer, body)).json()).toMatchObject({ status: 422 });
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(0);
    });

    it('needs a signed-in user', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: {} });
      expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    });
  });

  describe('one active registration per user and ticket type', () => {
    it('refuses a second registration with already_registered, and allows one after cancelling', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{}, {}] });
      const buyer = await t.auth.user('attendee');
      const first = await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id });
      expect(first.statusCode).toBe(201);
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json()).toMatchObject({
        status: 409,
        code: 'already_registered',
      });
      // Another ticket type of the same event is a separate registration.
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[1]?.id })).statusCode).toBe(201);
      const cancelled = await t.app.inject({
        method: 'POST',
        url: `/api/registrations/${first.json().id}/cancel`,
        headers: buyer.headers,
      });
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', refundRequested: false });
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).statusCode).toBe(201);
    });

    it('lets only one of two simultaneous registrations of one user through', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t);
      const buyer = await t.auth.user('attendee');
      const results = await Promise.all(
        Array.from({ length: 5 }, () => register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })),
      );
      expect(results.map((result) => result.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first response to a retry with the same key and body', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ price: 900 }] });
      const buyer = await t.auth.user('attendee');
      const key = { 'idempotency-key': randomUUID() };
      const body = { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 1 };
      const first = await register(t, buyer, body, key);
      const retried = await register(t, buyer, { ticketTypeId: body.ticketTypeId, eventId }, key);
      expect(first.statusCode).toBe(201);
      expect(retried.statusCode).toBe(201);
      expect(retried.json()).toEqual(first.json());
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(1);
      expect(await committedEvents(t, 'registration.held', (data) => data.eventId === eventId)).toHaveLength(1);
    });

    it('refuses the same key with another body (422 idempotency_mismatch); keys are per user', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ maxPerOrder: 3 }] });
      const buyer = await t.auth.user('attendee');
      const key = { 'idempotency-key': 'order-42' };
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id }, key)).statusCode).toBe(201);
      expect(
        (await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 2 }, key)).json(),
      ).toMatchObject({
        status: 422,
        code: 'idempotency_mismatch',
      });
      const someoneElse = await t.auth.user('attendee');
      expect((await register(t, someoneElse, { eventId, ticketTypeId: ticketTypes[0]?.id }, key)).statusCode).toBe(201);
    });

    it('replays a refusal too, and concurrent retries of one key register once', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ quantity: 1 }] });
      const winner = await t.auth.user('attendee');
      const buyer = await t.auth.user('attendee');
      const key = { 'idempotency-key': randomUUID() };
      const body = { eventId, ticketTypeId: ticketTypes[0]?.id };
      const attempts = await Promise.all(Array.from({ length: 4 }, () => register(t, winner, body, key)));
      expect(attempts.map((attempt) => attempt.statusCode)).toEqual([201, 201, 201, 201]);
      expect(new Set(attempts.map((attempt) => attempt.json().id)).size).toBe(1);

      const refused = await register(t, buyer, body, key);
      expect(refused.json()).toMatchObject({ status: 409, code: 'sold_out' });
      await t.app.inject({
        method: 'POST',
        url: `/api/registrations/${attempts[0]?.json().id}/cancel`,
        headers: winner.headers,
      });
      const replayed = await register(t, buyer, body, key);
      expect(replayed.statusCode).toBe(409);
      expect(replayed.headers['content-type']).toContain('application/problem+json');
      expect(replayed.json()).toEqual(refused.json());
    });
  });

  describe('capacity', () => {
    it('caps the sum across ticket types at the event capacity and answers sold_out', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, {
        event: { capacity: 3 },
        ticketTypes: [{ quantity: 2 }, { quantity: 2 }],
      });
      const outcomes: string[] = [];
      for (const ticketType of [...ticketTypes, ...ticketTypes]) {
        const buyer = await t.auth.user('attendee');
        const body = (await register(t, buyer, { eventId, ticketTypeId: ticketType.id })).json();
        outcomes.push(typeof body.status === 'number' ? body.code : body.status);
      }
      expect(outcomes).toEqual(['confirmed', 'confirmed', 'confirmed', 'sold_out']);
      // Selling the third seat (type A) left the event 0 seats, which moved type B's availability too.
      const updates = await publishedEventually(t, 'availability.changed', (data) => data.eventId === eventId, 5);
      for (const data of updates) expect(AvailabilityChanged.parse(data)).toEqual(data);
      const newest = (id: unknown) =>
        updates.filter((data) => data.ticketTypeId === id).reduce((a, b) => (b.version > a.version ? b : a));
      expect(ticketTypes.map((ticketType) => newest(ticketType.id).available)).toEqual([0, 0]);
      const availability = (await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` })).json();
      expect(availability).toMatchObject({ capacity: 3, available: 0, soldOut: true });
      expect(availability.ticketTypes.map((type: { status: string }) => type.status)).toEqual(['sold_out', 'sold_out']);
    });

    it('follows capacity changes of the event and announces the new availability', async () => {
      const { state, eventId, ticketTypes } = await publishedEvent(t, {
        event: { capacity: 5 },
        ticketTypes: [{ quantity: 10 }],
      });
      await t.publishEvent('event.updated', { ...state, capacity: 8 });
      const availability = (await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` })).json();
      expect(availability).toMatchObject({ capacity: 8, available: 8 });
      const updates = await publishedEventually(
        t,
        'availability.changed',
        (data) => data.ticketTypeId === ticketTypes[0]?.id && data.available === 8,
      );
      expect(updates[0]).toMatchObject({ quantity: 10, eventId });
    });
  });

  describe('reading registrations', () => {
    it('shows a registration to its owner and its organizer only', async () => {
      const { eventId, ticketTypes, organizer } = await publishedEvent(t);
      const buyer = await t.auth.user('attendee');
      const id = (await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json().id;
      const read = async (headers: Record<string, string>) =>
        t.app.inject({ method: 'GET', url: `/api/registrations/${id}`, headers });
      expect((await read(buyer.headers)).json()).toMatchObject({ id, status: 'confirmed' });
      expect((await read(organizer.headers)).json()).toMatchObject({ id });
      expect((await read((await t.auth.user('attendee')).headers)).statusCode).toBe(404);
      expect((await read((await t.auth.user('organizer')).headers)).statusCode).toBe(404);
    });

    it("pages through the caller's own registrations, newest first", async () => {
      const buyer = await t.auth.user('attendee');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { eventId, ticketTypes } = await publishedEvent(t);
        ids.push((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json().id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page = (
          await t.app.inject({ method: 'GET', url: `/api/registrations${query}`, headers: buyer.headers })
        ).json();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item: { id: string }) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
      const bad = await t.app.inject({
        method: 'GET',
        url: '/api/registrations?cursor=garbage',
        headers: buyer.headers,
      });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('cancellation by the attendee', () => {
    it('frees the seats; a paid, confirmed registration asks for a refund', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ price: 1000, quantity: 2 }] });
      const buyer = await t.auth.user('attendee');
      const registration = (await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json();
      await t.publishPayment('payment.succeeded', {
        paymentId: randomUUID(),
        registrationId: registration.id,
        eventId,
        amount: 1000,
        currency: 'eur',
        occurredAt: new Date().toISOString(),
      });
      const cancel = () =>
        t.app.inject({ method: 'POST', url: `/api/registrations/${registration.id}/cancel`, headers: buyer.headers });
      expect((await cancel()).json()).toMatchObject({ status: 'cancelled', refundRequested: true });
      expect((await cancel()).json()).toMatchObject({ status: 409, code: 'invalid_state' });
      const stranger = await t.auth.user('attendee');
      const byStranger = await t.app.inject({
        method: 'POST',
        url: `/api/registrations/${registration.id}/cancel`,
        headers: stranger.headers,
      });
      expect(byStranger.statusCode).toBe(404);
      const cancelled = await publishedEventually(
        t,
        'registration.cancelled',
        (data) => data.registrationId === registration.id,
      );
      expect(cancelled[0]).toMatchObject({ reason: 'attendee', refundRequested: true, amount: 1000 });
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(0);
    });
  });

  it('keeps the availability endpoint in step with its own commits', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ quantity: 4 }] });
    const read = async () => (await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` })).json();
    const before = await read();
    expect(before).toMatchObject({ eventId, available: 4, soldOut: false });
    const buyer = await t.auth.user('attendee');
    await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 2 });
    const after = await read();
    expect(after.available).toBe(2);
    expect(after.ticketTypes).toEqual([{ id: ticketTypes[0]?.id, available: 2, status: 'on_sale' }]);
    expect(after.version).toBeGreaterThan(before.version);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${randomUUID()}/availability` })).statusCode).toBe(
      404,
    );
  });

  it('ignores events of the read model it cannot apply twice (redelivery is harmless)', async () => {
    const organizer = await t.auth.user('organizer');
    const state = eventState({ organizerId: organizer.userId, capacity: 7 }, t.clock);
    await t.publishEvent('event.created', state);
    await t.publishEvent('event.created', state);
    const row = await t.db.selectFrom('events').selectAll().where('id', '=', state.eventId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ capacity: 7, taken: 0, status: 'published' });
  });
});
