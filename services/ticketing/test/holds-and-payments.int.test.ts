import { eventually, metricValue } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, seatAccounts } from './support/scenario';
import {
  committedEvents,
  minutes,
  paymentFacts,
  publishedEventually,
  startTicketing,
  type Ticketing,
} from './support/ticketing-harness';

// Real: PostgreSQL, the service with its sweeper, consumers and outbox relay on the in-process bus.
// Payments is represented by the CloudEvents it would publish on payments.payment.v1.
describe('holds, payments and cancellations', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing();
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  const registrationStatus = async (id: string) =>
    await t.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function paidHold(quantity = 1, options: { capacity?: number; seats?: number } = {}) {
    const scenario = await publishedEvent(t, {
      event: { capacity: options.capacity ?? 100 },
      ticketTypes: [{ price: 1200, quantity: options.seats ?? 10, maxPerOrder: 5 }],
    });
    const buyer = await t.auth.user('attendee');
    const response = await register(t, buyer, {
      eventId: scenario.eventId,
      ticketTypeId: scenario.ticketTypes[0]?.id,
      quantity,
    });
    expect(response.statusCode).toBe(201);
    return { ...scenario, buyer, registration: response.json() };
  }

  async function letHoldExpire(registrationId: string) {
    t.clock.advance(minutes(10));
    const expired = await eventually(
      () => registrationStatus(registrationId),
      (row) => row.status === 'expired',
    );
    expect(expired.status).toBe('expired');
  }

  it('expires an unpaid hold after ten minutes, returns its seats and says so on the bus', async () => {
    const { registration, eventId, buyer } = await paidHold(3);
    expect(registration.expiresAt).toBe(new Date(t.clock.current.getTime() + minutes(10)).toISOString());
    expect((await seatAccounts(t, eventId)).event.taken).toBe(3);
    await letHoldExpire(registration.id);
    expect((await seatAccounts(t, eventId)).event.taken).toBe(0);
    const expired = await publishedEventually(
      t,
      'registration.expired',
      (data) => data.registrationId === registration.id,
    );
    expect(expired[0]).toMatchObject({ quantity: 3, userId: buyer.userId });
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/registrations/${registration.id}`,
      headers: buyer.headers,
    });
    expect(read.json()).toMatchObject({ status: 'expired', expiresAt: null });
  });

  it('confirms a hold when its payment succeeds, once however often the event is delivered', async () => {
    const { registration, eventId } = await paidHold(2);
    const payment = paymentFacts(registration);
    await t.publishPayment('payment.succeeded', payment);
    await t.publishPayment('payment.succeeded', payment);
    expect(await registrationStatus(registration.id)).toMatchObject({ status: 'confirmed' });
    expect(
      await committedEvents(t, 'registration.confirmed', (data) => data.registrationId === registration.id),
    ).toHaveLength(1);
    // A hold taken alongside expires; the confirmed one is past its old expiresAt too, yet stays.
    const { registration: unpaid } = await paidHold(1);
    await letHoldExpire(unpaid.id);
    expect(await registrationStatus(registration.id)).toMatchObject({ status: 'confirmed' });
    expect((await seatAccounts(t, eventId)).event.taken).toBe(2);
  });

  it('reports active holds, and counts seats sold once their confirmation commits', async () => {
    const sold = (ticket: string) => metricValue(t.app, 'echoplex_seats_sold_total', { ticket });
    const holds = () => metricValue(t.app, 'echoplex_active_holds');
    const [paidBefore, freeBefore, holdsBefore] = [await sold('paid'), await sold('free'), await holds()];

    const { registration } = await paidHold(2);
    expect(await holds()).toBe(holdsBefore + 1);
    expect(await sold('paid')).toBe(paidBefore);
    const payment = paymentFacts(registration);
    await t.publishPayment('payment.succeeded', payment);
    await t.publishPayment('payment.succeeded', payment);
    expect(await holds()).toBe(holdsBefore);
    expect(await sold('paid')).toBe(paidBefore + 2);

    const free = await publishedEvent(t);
    const attendee = await t.auth.user('attendee');
    const response = await register(t, attendee, {
      eventId: free.eventId,
      ticketTypeId: free.ticketTypes[0]?.id,
      quantity: 3,
    });
    expect(response.statusCode).toBe(201);
    expect(await sold('free')).toBe(freeBefore + 3);
  });

  it('re-reserves the seats when the payment arrives after the hold expired and seats remain', async () => {
    const { registration, eventId } = await paidHold(2);
    await letHoldExpire(registration.id);
    await t.publishPayment('payment.succeeded', paymentFacts(registration));
    expect(await registrationStatus(registration.id)).toMatchObject({ status: 'confirmed' });
    expect((await seatAccounts(t, eventId)).event.taken).toBe(2);
  });

  it('asks for a refund (hold_lost) when the payment arrives after the hold expired and the seats are gone', async () => {
    const { registration, eventId, ticketTypes } = await paidHold(2, { seats: 2 });
    await letHoldExpire(registration.id);
    const other = await t.auth.user('attendee');
    expect((await register(t, other, { eventId, ticketTypeId: ticketTypes[0]?.id, quantity: 2 })).statusCode).toBe(201);
    await t.publishPayment('payment.succeeded', paymentFacts(registration));
    expect(await registrationStatus(registration.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'hold_lost',
      refundRequested: true,
    });
    const cancelled = await publishedEventually(
      t,
      'registration.cancelled',
      (data) => data.registrationId === registration.id,
    );
    expect(cancelled[0]).toMatchObject({ reason: 'hold_lost', refundRequested: true, amount: 2400 });
    const accounts = await seatAccounts(t, eventId);
    expect(accounts.event.taken).toBe(2);
    expect(accounts.heldTotal).toBe(2);
  });

  it('sends money back that arrives for a hold the attendee cancelled meanwhile', async () => {
    const { registration, buyer } = await paidHold(1);
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/registrations/${registration.id}/cancel`,
      headers: buyer.headers,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', refundRequested: false });
    await t.publishPayment('payment.succeeded', paymentFacts(registration));
    const events = await publishedEventually(
      t,
      'registration.cancelled',
      (data) => data.registrationId === registration.id,
      2,
    );
    expect(events.map((data) => [data.reason, data.refundRequested])).toEqual([
      ['attendee', false],
      ['attendee', true],
    ]);
  });

  it('cancels a confirmed registration refunded in full and frees its seats; a partial refund changes nothing', async () => {
    const { registration, eventId } = await paidHold(2);
    const payment = paymentFacts(registration);
    await t.publishPayment('payment.succeeded', payment);
    const refund = { ...payment, refundId: 're_1', occurredAt: new Date().toISOString() };
    await t.publishPayment('payment.refunded', { ...refund, amount: 1000, refundedTotal: 1000, fullyRefunded: false });
    expect(await registrationStatus(registration.id)).toMatchObject({ status: 'confirmed' });
    await t.publishPayment('payment.refunded', {
      ...refund,
      refundId: 're_2',
      amount: 1400,
      refundedTotal: 2400,
      fullyRefunded: true,
    });
    expect(await registrationStatus(registration.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'refunded',
      refundRequested: false,
    });
    expect((await seatAccounts(t, eventId)).event.taken).toBe(0);
    const cancelled = await publishedEventually(
      t,
      'registration.cancelled',
      (data) => data.registrationId === registration.id,
    );
    expect(cancelled[0]).toMatchObject({ reason: 'refunded', refundRequested: false });
  });

  it('cancels every registration of a cancelled event; paid confirmed ones ask for a refund', async () => {
    const { eventId, state, ticketTypes } = await publishedEvent(t, {
      ticketTypes: [{ price: 0 }, { price: 3000 }],
    });
    const [free, paid] = ticketTypes.map((ticketType) => ticketType.id as string);
    const registrations: Record<string, { id: string; amount: number; eventId: string; currency: string }> = {};
    for (const [name, ticketTypeId] of [
      ['free', free],
      ['paidConfirmed', paid],
      ['paidPending', paid],
    ] as const) {
      const buyer = await t.auth.user('attendee');
      registrations[name] = (await register(t, buyer, { eventId, ticketTypeId })).json();
    }
    await t.publishPayment('payment.succeeded', paymentFacts(registrations.paidConfirmed as never));
    await t.publishEvent('event.cancelled', { ...state, status: 'cancelled' });

    const cancelled = await publishedEventually(t, 'registration.cancelled', (data) => data.eventId === eventId, 3);
    const refundById = Object.fromEntries(cancelled.map((data) => [data.registrationId, data.refundRequested]));
    expect(refundById).toEqual({
      [registrations.free?.id as string]: false,
      [registrations.paidConfirmed?.id as string]: true,
      [registrations.paidPending?.id as string]: false,
    });
    expect(cancelled.every((data) => data.reason === 'event_cancelled')).toBe(true);
    const accounts = await seatAccounts(t, eventId);
    expect(accounts.event.taken).toBe(0);
    expect(accounts.ticketTypes.every((ticketType) => ticketType.sold === 0)).toBe(true);
    const availability = (await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` })).json();
    expect(availability.ticketTypes.map((type: { status: string }) => type.status)).toEqual(['ended', 'ended']);
  });
});
