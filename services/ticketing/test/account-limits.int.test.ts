import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, seatAccounts, type User } from './support/scenario';
import { minutes, paymentFacts, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL, the service with its sweeper, consumers and outbox relay on the in-process bus.
describe('limits per account and event against inventory hoarding', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing({
      holdPolicy: { maxPendingHolds: 2, cooldownAfterExpiries: 2, cooldownWindowMinutes: 60, cooldownMinutes: 30 },
    });
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  const types = (count: number, spec: { price: number; maxPerOrder?: number }) =>
    Array.from({ length: count }, (_, n) => ({ name: `Type ${n}`, quantity: 20, maxPerOrder: 5, ...spec }));
  const activeOf = (user: User, eventId: string) =>
    t.db
      .selectFrom('registrations')
      .selectAll()
      .where('userId', '=', user.userId)
      .where('eventId', '=', eventId)
      .where('status', 'in', ['pending', 'confirmed'])
      .execute();
  const cancel = (user: User, id: string) =>
    t.app.inject({ method: 'POST', url: `/api/registrations/${id}/cancel`, headers: user.headers });

  describe('unpaid holds', () => {
    it('caps the pending holds of one account per event with 429 rate_limited until one ends', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: types(3, { price: 1000 }) });
      const [a, b, c] = ticketTypes.map((type) => type.id);
      const hoarder = await t.auth.user('attendee');
      const first = (await register(t, hoarder, { eventId, ticketTypeId: a })).json();
      expect((await register(t, hoarder, { eventId, ticketTypeId: b })).statusCode).toBe(201);
      const before = await seatAccounts(t, eventId);

      const third = await register(t, hoarder, { eventId, ticketTypeId: c });
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toContain('application/problem+json');
      expect(third.json().code).toBe('rate_limited');
      expect(third.headers['retry-after']).toBe(String(10 * 60));
      expect(await seatAccounts(t, eventId)).toEqual(before);
      expect(await activeOf(hoarder, eventId)).toHaveLength(2);

      const other = await t.auth.user('attendee');
      expect((await register(t, other, { eventId, ticketTypeId: c })).statusCode).toBe(201);
      await t.publishPayment('payment.succeeded', paymentFacts(first));
      expect((await register(t, hoarder, { eventId, ticketTypeId: c })).statusCode).toBe(201);
    });

    it('never lets concurrent holds of one account past the cap', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: types(8, { price: 1000 }) });
      const hoarder = await t.auth.user('attendee');
      const responses = await Promise.all(
        ticketTypes.map((type) => register(t, hoarder, { eventId, ticketTypeId: type.id })),
      );
      const codes = responses.map((response) => response.statusCode).sort();
      expect(codes).toEqual([201, 201, 429, 429, 429, 429, 429, 429]);
      expect(await activeOf(hoarder, eventId)).toHaveLength(2);
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(2);
    });

    it('makes an account whose holds expired repeatedly wait, for that event only; a retry after the wait succeeds', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: types(1, { price: 1000 }) });
      const elsewhere = await publishedEvent(t, { ticketTypes: types(1, { price: 1000 }) });
      const ticketTypeId = ticketTypes[0]?.id;
      const hoarder = await t.auth.user('attendee');
      for (let round = 0; round < 2; round++) {
        const hold = await register(t, hoarder, { eventId, ticketTypeId });
        expect(hold.statusCode, hold.body).toBe(201);
        t.clock.advance(minutes(10));
        await expect.poll(async () => (await activeOf(hoarder, eventId)).length, { timeout: 30_000 }).toBe(0);
      }

      const key = { 'idempotency-key': 'after-two-expiries' };
      const refused = await register(t, hoarder, { eventId, ticketTypeId }, key);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
      expect(refused.headers['retry-after']).toBe(String(30 * 60));
      expect(await activeOf(hoarder, eventId)).toEqual([]);
      const other = await register(t, hoarder, {
        eventId: elsewhere.eventId,
        ticketTypeId: elsewhere.ticketTypes[0]?.id,
      });
      expect(other.statusCode).toBe(201);

      t.clock.advance(minutes(20));
      const stillWaiting = await register(t, hoarder, { eventId, ticketTypeId }, key);
      expect(stillWaiting.headers['retry-after']).toBe(String(10 * 60));
      t.clock.advance(minutes(10));
      expect((await register(t, hoarder, { eventId, ticketTypeId }, key)).statusCode).toBe(201);
    });

    it('leaves free registrations without a hold limit', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, { ticketTypes: types(3, { price: 0 }) });
      const attendee = await t.auth.user('attendee');
      for (const type of ticketTypes) {
        expect((await register(t, attendee, { eventId, ticketTypeId: type.id })).statusCode).toBe(201);
      }
    });
  });

  describe("the organizer's maxTicketsPerAccount", () => {
    it('counts the tickets of active registrations across ticket types; cancelled ones give room back', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, {
        event: { maxTicketsPerAccount: 3 },
        ticketTypes: types(3, { price: 0 }),
      });
      const [a, b, c] = ticketTypes.map((type) => type.id);
      const buyer = await t.auth.user('attendee');
      const tooMany = await register(t, buyer, { eventId, ticketTypeId: a, quantity: 4 });
      expect(tooMany.statusCode).toBe(422);
      expect(tooMany.json()).toMatchObject({ code: 'quantity_out_of_range', errors: [{ path: 'body.quantity' }] });

      const two = (await register(t, buyer, { eventId, ticketTypeId: a, quantity: 2 })).json();
      const over = await register(t, buyer, { eventId, ticketTypeId: b, quantity: 2 });
      expect(over.statusCode).toBe(422);
      expect(over.json().code).toBe('quantity_out_of_range');
      expect((await register(t, buyer, { eventId, ticketTypeId: b, quantity: 1 })).statusCode).toBe(201);
      expect((await register(t, buyer, { eventId, ticketTypeId: c, quantity: 1 })).statusCode).toBe(422);
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(3);

      expect((await cancel(buyer, two.id)).statusCode).toBe(200);
      expect((await register(t, buyer, { eventId, ticketTypeId: c, quantity: 2 })).statusCode).toBe(201);
      const another = await t.auth.user('attendee');
      expect((await register(t, another, { eventId, ticketTypeId: c, quantity: 3 })).statusCode).toBe(201);
    });

    it('holds under concurrency: ten simultaneous orders of one account never exceed it', async () => {
      const { eventId, ticketTypes } = await publishedEvent(t, {
        event: { maxTicketsPerAccount: 5 },
        ticketTypes: types(10, { price: 0 }),
      });
      const buyer = await t.auth.user('attendee');
      const responses = await Promise.all(
        ticketTypes.map((type) => register(t, buyer, { eventId, ticketTypeId: type.id, quantity: 2 })),
      );
      const accepted = responses.filter((response) => response.statusCode === 201);
      expect(accepted).toHaveLength(2);
      for (const refused of responses.filter((response) => response.statusCode !== 201)) {
        expect(refused.json().code).toBe('quantity_out_of_range');
      }
      const held = (await activeOf(buyer, eventId)).reduce((sum, registration) => sum + registration.quantity, 0);
      expect(held).toBe(4);
      expect((await seatAccounts(t, eventId)).heldTotal).toBe(4);
    });

    it('follows the organizer changing it', async () => {
      const { eventId, ticketTypes, state } = await publishedEvent(t, { ticketTypes: types(2, { price: 0 }) });
      const buyer = await t.auth.user('attendee');
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 5 })).statusCode).toBe(
        201,
      );
      await t.publishEvent('event.updated', { ...state, maxTicketsPerAccount: 5 });
      const over = await register(t, buyer, { eventId, ticketTypeId: ticketTypes[1]?.id, quantity: 1 });
      expect(over.statusCode).toBe(422);
      await t.publishEvent('event.updated', { ...state, maxTicketsPerAccount: null });
      expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[1]?.id, quantity: 1 })).statusCode).toBe(
        201,
      );
    });
  });
});
