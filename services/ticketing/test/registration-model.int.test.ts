import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, seatAccounts, type User } from './support/scenario';
import { minutes, startTicketing, type Ticketing } from './support/ticketing-harness';

type Status = 'pending' | 'confirmed' | 'cancelled' | 'expired';

/** The simple model: what each registration should be, and from that, every seat count. */
interface Model {
  capacity: number;
  ticketTypes: { quantity: number; price: number; maxPerOrder: number }[];
  registrations: { id: string; user: number; ticketType: number; quantity: number; status: Status }[];
}

interface Real {
  t: Ticketing;
  eventId: string;
  ticketTypeIds: string[];
  users: User[];
}

const active = (status: Status) => status === 'pending' || status === 'confirmed';
const heldOf = (m: Model, ticketType?: number) =>
  m.registrations
    .filter((r) => active(r.status) && (ticketType === undefined || r.ticketType === ticketType))
    .reduce((sum, r) => sum + r.quantity, 0);
const availableIn = (m: Model, ticketType: number) =>
  Math.max(0, Math.min((m.ticketTypes[ticketType]?.quantity ?? 0) - heldOf(m, ticketType), m.capacity - heldOf(m)));

/** After every step: the database agrees with the model, and no limit is exceeded anywhere. */
async function checkInvariants(m: Model, r: Real) {
  const accounts = await seatAccounts(r.t, r.eventId);
  expect(accounts.event.taken).toBe(heldOf(m));
  expect(accounts.event.taken).toBeLessThanOrEqual(m.capacity);
  expect(accounts.heldTotal).toBe(heldOf(m));
  for (const [index, id] of r.ticketTypeIds.entries()) {
    const row = accounts.ticketTypes.find((ticketType) => ticketType.id === id);
    expect(row?.sold).toBe(heldOf(m, index));
    expect(row?.sold).toBeLessThanOrEqual(row?.quantity ?? 0);
  }
  const statuses = await r.t.db
    .selectFrom('registrations')
    .select(['id', 'status'])
    .where('eventId', '=', r.eventId)
    .execute();
  expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual(
    Object.fromEntries(m.registrations.map((registration) => [registration.id, registration.status])),
  );
  // The endpoint is served from a cache that commits of other code paths invalidate by NOTIFY: it
  // may lag by the notification's latency, never by more than the cache's maxAge (1 s).
  const expected = r.ticketTypeIds.map((_, index) => availableIn(m, index));
  const served = await eventually(
    async () =>
      (await r.t.app.inject({ method: 'GET', url: `/api/events/${r.eventId}/availability` }))
        .json()
        .ticketTypes.map((ticketType: { available: number }) => ticketType.available),
    (available) => JSON.stringify(available) === JSON.stringify(expected),
    1_500,
  );
  expect(served).toEqual(expected);
}

class Register implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly ticketType: number,
    readonly quantity: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const response = await register(r.t, r.users[this.user] as User, {
      eventId: r.eventId,
      ticketTypeId: r.ticketTypeIds[this.ticketType],
      quantity: this.quantity,
    });
    const spec = m.ticketTypes[this.ticketType] as Model['ticketTypes'][number];
    const alreadyActive = m.registrations.some(
      (registration) =>
        registration.user === this.user && registration.ticketType === this.ticketType && active(registration.status),
    );
    // The order the service checks in: range, seats left (read without locks), then uniqueness.
    const expected =
      this.quantity < 1 || this.quantity > spec.maxPerOrder
        ? 'quantity_out_of_range'
        : availableIn(m, this.ticketType) < this.quantity
          ? 'sold_out'
          : alreadyActive
            ? 'already_registered'
            : 'created';
    if (expected === 'created') {
      expect(response.statusCode, response.body).toBe(201);
      const status = spec.price > 0 ? 'pending' : 'confirmed';
      expect(response.json().status).toBe(status);
      m.registrations.push({
        id: response.json().id,
        user: this.user,
        ticketType: this.ticketType,
        quantity: this.quantity,
        status,
      });
    } else {
      expect(response.json().code, response.body).toBe(expected);
    }
    await checkInvariants(m, r);
  }
  toString = () => `register(user ${this.user}, type ${this.ticketType}, ×${this.quantity})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.registrations.length > 0;
  async run(m: Model, r: Real) {
    const target = m.registrations[this.pick % m.registrations.length] as Model['registrations'][number];
    const response = await r.t.app.inject({
      method: 'POST',
      url: `/api/registrations/${target.id}/cancel`,
      headers: (r.users[target.user] as User).headers,
    });
    if (active(target.status)) {
      expect(response.json().status, response.body).toBe('cancelled');
      target.status = 'cancelled';
    } else {
      expect(response.json().code).toBe('invalid_state');
    }
    await checkInvariants(m, r);
  }
  toString = () => `cancel(#${this.pick})`;
}

class Expire implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    r.t.clock.advance(minutes(11));
    const now = r.t.clock.current;
    // The sweeper runs on its own; wait until it has handled every hold that is now past due.
    await eventually(
      async () =>
        r.t.db
          .selectFrom('registrations')
          .select('id')
          .where('eventId', '=', r.eventId)
          .where('status', '=', 'pending')
          .where('expiresAt', '<=', now)
          .execute(),
      (rows) => rows.length === 0,
    );
    for (const registration of m.registrations) if (registration.status === 'pending') registration.status = 'expired';
    await checkInvariants(m, r);
  }
  toString = () => 'expire holds';
}

const paidOnes = (m: Readonly<Model>) =>
  m.registrations.filter((registration) => (m.ticketTypes[registration.ticketType]?.price ?? 0) > 0);

class Pay implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => paidOnes(m).length > 0;
  async run(m: Model, r: Real) {
    const candidates = paidOnes(m);
    const target = candidates[this.pick % candidates.length] as Model['registrations'][number];
    await r.t.publishPayment('payment.succeeded', {
      paymentId: randomUUID(),
      registrationId: target.id,
      eventId: r.eventId,
      amount: 1000 * target.quantity,
      currency: 'eur',
      occurredAt: new Date().toISOString(),
    });
    if (target.status === 'pending') target.status = 'confirmed';
    else if (target.status === 'expired') {
      const otherActive = m.registrations.some(
        (registration) =>
          registration !== target &&
          registration.user === target.user &&
          registration.ticketType === target.ticketType &&
          active(registration.status),
      );
      target.status = !otherActive && availableIn(m, target.ticketType) >= target.quantity ? 'confirmed' : 'cancelled';
    }
    await checkInvariants(m, r);
  }
  toString = () => `pay(#${this.pick})`;
}

class Refund implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => paidOnes(m).length > 0;
  async run(m: Model, r: Real) {
    const candidates = paidOnes(m);
    const target = candidates[this.pick % candidates.length] as Model['registrations'][number];
    const amount = 1000 * target.quantity;
    await r.t.publishPayment('payment.refunded', {
      paymentId: randomUUID(),
      registrationId: target.id,
      eventId: r.eventId,
      amount,
      currency: 'eur',
      occurredAt: new Date().toISOString(),
      refundId: randomUUID(),
      refundedTotal: amount,
      fullyRefunded: true,
    });
    if (target.status === 'confirmed') target.status = 'cancelled';
    await checkInvariants(m, r);
  }
  toString = () => `refund(#${this.pick})`;
}

// Real: PostgreSQL, the service with its sweeper and consumers on the in-process bus; payments is
// represented by its CloudEvents. fast-check draws the interleavings and shrinks any failure.
describe('registration state machine (property)', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing({ sweepIntervalMs: 20 });
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  it('keeps every seat count equal to the model after each register / cancel / expire / pay / refund', async () => {
    const quantity = fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, 3) },
    );
    const registration = fc
      .tuple(fc.nat(2), fc.nat(1), quantity)
      .map(([user, ticketType, seats]) => new Register(user, ticketType, seats));
    const commands = [
      // Listed twice: registrations are what every other step acts on.
      registration,
      registration,
      fc.nat(20).map((pick) => new Cancel(pick)),
      fc.constant(null).map(() => new Expire()),
      fc.nat(20).map((pick) => new Pay(pick)),
      fc.nat(20).map((pick) => new Refund(pick)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (steps) => {
        const ticketTypes = [
          { quantity: 3, price: 0, maxPerOrder: 2 },
          { quantity: 4, price: 1000, maxPerOrder: 2 },
        ];
        const scenario = await publishedEvent(t, {
          event: { capacity: 5 },
          ticketTypes: ticketTypes.map((spec) => ({ ...spec, currency: 'eur' })),
        });
        const users = await Promise.all([0, 1, 2].map(() => t.auth.user('attendee')));
        const model: Model = { capacity: 5, ticketTypes, registrations: [] };
        const real: Real = {
          t,
          eventId: scenario.eventId,
          ticketTypeIds: scenario.ticketTypes.map((ticketType) => ticketType.id),
          users,
        };
        await fc.asyncModelRun(() => ({ model, real }), steps);
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});
