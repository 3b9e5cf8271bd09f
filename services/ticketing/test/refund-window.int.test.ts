import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, seatAccounts } from './support/scenario';
import { committedEvents, hours, paymentFacts, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL, the service with its consumers and outbox relay on the in-process bus.
// Payments is represented by the CloudEvents it would publish on payments.payment.v1.
describe("the attendee's own cancellation within the event's refund policy", () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing();
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  /** A confirmed registration for an event starting in a week, refundable by the attendee for `refundHours`. */
  async function registration(options: { price: number; refundHours?: number }) {
    const selfServiceUntil =
      options.refundHours === undefined
        ? undefined
        : new Date(t.clock.current.getTime() + hours(options.refundHours)).toISOString();
    const scenario = await publishedEvent(t, {
      event: selfServiceUntil ? { refundPolicy: { selfServiceUntil } } : {},
      ticketTypes: [{ price: options.price, quantity: 10, maxPerOrder: 2 }],
    });
    const attendee = await t.auth.user('attendee');
    const created = await register(t, attendee, {
      eventId: scenario.eventId,
      ticketTypeId: scenario.ticketTypes[0]?.id,
      quantity: 2,
    });
    expect(created.statusCode, created.body).toBe(201);
    const registration = created.json();
    if (options.price > 0) await t.publishPayment('payment.succeeded', paymentFacts(registration));
    const cancel = () =>
      t.app.inject({ method: 'POST', url: `/api/registrations/${registration.id}/cancel`, headers: attendee.headers });
    const checkIn = (ticket = 0) =>
      t.app.inject({
        method: 'POST',
        url: `/api/events/${scenario.eventId}/check-ins`,
        headers: scenario.organizer.headers,
        payload: { code: registration.tickets[ticket].code },
      });
    return { ...scenario, attendee, registration, cancel, checkIn };
  }

  const stored = (id: string) =>
    t.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const cancellationsOf = (id: string) =>
    committedEvents(t, 'registration.cancelled', (data) => data.registrationId === id);

  /** The refusal changed nothing: still confirmed, seats held, nothing announced. */
  async function expectRefused(
    response: Awaited<ReturnType<typeof t.app.inject>>,
    scenario: { eventId: string; registration: { id: string } },
  ) {
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('refund_window_closed');
    expect(await stored(scenario.registration.id)).toMatchObject({ status: 'confirmed', refundRequested: false });
    expect((await seatAccounts(t, scenario.eventId)).heldTotal).toBe(2);
    expect(await cancellationsOf(scenario.registration.id)).toEqual([]);
  }

  it('refunds a paid registration until selfServiceUntil and refuses it from then on with refund_window_closed', async () => {
    const before = await registration({ price: 1500, refundHours: 48 });
    const after = await registration({ price: 1500, refundHours: 48 });
    t.clock.advance(hours(47));
    expect((await before.cancel()).json()).toMatchObject({ status: 'cancelled', refundRequested: true });

    t.clock.advance(hours(1));
    await expectRefused(await after.cancel(), after);
  });

  it("closes self-service refunds at the event's start when the organizer set no deadline", async () => {
    const scenario = await registration({ price: 1500 });
    t.clock.advance(hours(24 * 7 + 1));
    await expectRefused(await scenario.cancel(), scenario);
  });

  it('refuses a registration with a checked-in ticket, paid or free, even inside the window', async () => {
    const paid = await registration({ price: 1500, refundHours: 48 });
    const free = await registration({ price: 0 });
    expect((await paid.checkIn(1)).statusCode).toBe(200);
    expect((await free.checkIn(0)).statusCode).toBe(200);
    await expectRefused(await paid.cancel(), paid);
    await expectRefused(await free.cancel(), free);
  });

  it('never lets a ticket be checked in and its registration cancelled at once', async () => {
    for (let round = 0; round < 5; round++) {
      const scenario = await registration({ price: 1500, refundHours: 48 });
      const [cancelled, checkedIn] = await Promise.all([scenario.cancel(), scenario.checkIn()]);
      expect([cancelled.statusCode, checkedIn.statusCode].sort()).toEqual([200, 409]);
      const row = await stored(scenario.registration.id);
      const tickets = await t.db
        .selectFrom('tickets')
        .select('checkedInAt')
        .where('registrationId', '=', row.id)
        .execute();
      const used = tickets.some((ticket) => ticket.checkedInAt !== null);
      expect({ status: row.status, used }).toEqual(
        cancelled.statusCode === 200 ? { status: 'cancelled', used: false } : { status: 'confirmed', used: true },
      );
    }
  });

  it('still lets a free registration nobody used, and an unpaid hold, be cancelled after the deadline', async () => {
    const free = await registration({ price: 0, refundHours: 1 });
    const paid = await publishedEvent(t, {
      event: { refundPolicy: { selfServiceUntil: new Date(t.clock.current.getTime() + hours(1)).toISOString() } },
      ticketTypes: [{ price: 900 }],
    });
    t.clock.advance(hours(2));
    expect((await free.cancel()).json()).toMatchObject({ status: 'cancelled', refundRequested: false });

    const holder = await t.auth.user('attendee');
    const hold = await register(t, holder, { eventId: paid.eventId, ticketTypeId: paid.ticketTypes[0]?.id });
    expect(hold.json()).toMatchObject({ status: 'pending' });
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/registrations/${hold.json().id}/cancel`,
      headers: holder.headers,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', refundRequested: false });
  });

  it('lets the organizer refund after the window: a full refund still cancels the registration', async () => {
    const scenario = await registration({ price: 1500, refundHours: 1 });
    t.clock.advance(hours(2));
    await expectRefused(await scenario.cancel(), scenario);

    const payment = paymentFacts(scenario.registration);
    await t.publishPayment('payment.refunded', {
      ...payment,
      refundId: 're_after_window',
      amount: payment.amount,
      refundedTotal: payment.amount,
      fullyRefunded: true,
    });
    expect(await stored(scenario.registration.id)).toMatchObject({ status: 'cancelled', cancelReason: 'refunded' });
    expect((await seatAccounts(t, scenario.eventId)).heldTotal).toBe(0);
  });
});
