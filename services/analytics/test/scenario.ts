import { randomUUID } from 'node:crypto';
import { domainEvent, type PublishedEvent } from './domain-events';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export interface Scenario {
  eventId: string;
  organizerId: string;
  /** Every fact, in the order they happened. */
  events: PublishedEvent[];
}

type Lifecycle = { at: number; type: 'held' | 'confirmed' | 'cancelled' | 'expired'; reason?: string }[];

/**
 * One event's life as the other services would announce it: paid, free, expired, cancelled,
 * re-reserved and lost holds, partial and full refunds, check-ins and page views, spread over
 * two days so hourly and daily buckets both get several points.
 */
export function buildScenario(organizerId: string, start: Date): Scenario {
  const eventId = randomUUID();
  const base = Math.floor(start.getTime() / hour) * hour;
  const at = (minutes: number) => new Date(base + minutes * minute).toISOString();
  const events: PublishedEvent[] = [];
  const eventState = (status: 'draft' | 'published') => ({
    eventId,
    organizerId,
    name: 'Analytics scenario',
    status,
    startTime: new Date(base + 10 * day).toISOString(),
    endTime: new Date(base + 10 * day + 4 * hour).toISOString(),
    capacity: 120,
    city: 'Lisbon',
    categories: ['music'],
  });
  events.push(domainEvent('events.event.v1', 'event.created', eventId, eventState('draft'), at(0)));
  events.push(domainEvent('events.event.v1', 'event.published', eventId, eventState('published'), at(1)));

  const ticketTypes = {
    general: { id: randomUUID(), name: 'General', price: 2500 },
    vip: { id: randomUUID(), name: 'VIP', price: 10000 },
    free: { id: randomUUID(), name: 'Community', price: 0 },
  };
  for (const type of Object.values(ticketTypes)) {
    const state = {
      eventId,
      ticketTypeId: type.id,
      name: type.name,
      price: type.price,
      currency: 'eur',
      quantity: 50,
      salesStart: null,
      salesEnd: null,
    };
    events.push(domainEvent('ticketing.ticket-type.v1', 'ticket_type.created', eventId, state, at(2)));
  }

  const register = (type: keyof typeof ticketTypes, quantity: number, lifecycle: Lifecycle) => {
    const registrationId = randomUUID();
    const facts = {
      registrationId,
      eventId,
      ticketTypeId: ticketTypes[type].id,
      userId: randomUUID(),
      quantity,
      amount: ticketTypes[type].price * quantity,
      currency: 'eur',
    };
    for (const step of lifecycle) {
      const occurredAt = at(step.at);
      if (step.type === 'held') {
        const data = { ...facts, occurredAt, expiresAt: at(step.at + 10) };
        events.push(domainEvent('ticketing.registration.v1', 'registration.held', eventId, data, occurredAt));
      } else if (step.type === 'cancelled') {
        const reason = (step.reason ?? 'attendee') as 'attendee' | 'hold_lost';
        const data = { ...facts, occurredAt, reason, refundRequested: facts.amount > 0 };
        events.push(domainEvent('ticketing.registration.v1', 'registration.cancelled', eventId, data, occurredAt));
      } else {
        const type = step.type === 'confirmed' ? 'registration.confirmed' : 'registration.expired';
        events.push(domainEvent('ticketing.registration.v1', type, eventId, { ...facts, occurredAt }, occurredAt));
      }
    }
    return facts;
  };
  const pay = (registration: ReturnType<typeof register>, minutes: number, refunds: [number, number][] = []) => {
    const paymentId = randomUUID();
    const payment = {
      paymentId,
      registrationId: registration.registrationId,
      eventId,
      amount: registration.amount,
      currency: 'eur',
    };
    const key = registration.registrationId;
    events.push(
      domainEvent(
        'payments.payment.v1',
        'payment.succeeded',
        key,
        { ...payment, occurredAt: at(minutes) },
        at(minutes),
      ),
    );
    let refundedTotal = 0;
    for (const [when, amount] of refunds) {
      refundedTotal += amount;
      const refund = {
        ...payment,
        amount,
        occurredAt: at(when),
        refundId: `re_${randomUUID()}`,
        refundedTotal,
        fullyRefunded: refundedTotal === payment.amount,
      };
      events.push(domainEvent('payments.payment.v1', 'payment.refunded', key, refund, at(when)));
    }
  };
  const checkIn = (registration: ReturnType<typeof register>, minutes: number) => {
    const data = {
      ticketId: randomUUID(),
      registrationId: registration.registrationId,
      eventId,
      ticketTypeId: registration.ticketTypeId,
      checkedInAt: at(minutes),
    };
    events.push(domainEvent('ticketing.registration.v1', 'ticket.checked_in', eventId, data, at(minutes)));
  };

  const paidAndCheckedIn = register('general', 2, [
    { at: 10, type: 'held' },
    { at: 13, type: 'confirmed' },
  ]);
  pay(paidAndCheckedIn, 12);
  checkIn(paidAndCheckedIn, 600);
  checkIn(paidAndCheckedIn, 601);

  register('vip', 1, [
    { at: 20, type: 'held' },
    { at: 30, type: 'expired' },
  ]);

  const partlyRefunded = register('general', 1, [
    { at: 40, type: 'held' },
    { at: 42, type: 'confirmed' },
  ]);
  pay(partlyRefunded, 41, [[200, 1000]]);

  const cancelledAfterPaying = register('vip', 2, [
    { at: 50, type: 'held' },
    { at: 53, type: 'confirmed' },
    { at: 300, type: 'cancelled' },
  ]);
  pay(cancelledAfterPaying, 52, [
    [301, 5000],
    [302, 15000],
  ]);

  register('general', 1, [
    { at: 60, type: 'held' },
    { at: 65, type: 'cancelled' },
  ]);

  register('general', 3, [{ at: 70, type: 'held' }]);

  const free = register('free', 1, [{ at: 80, type: 'confirmed' }]);
  checkIn(free, 700);

  const reReserved = register('general', 1, [
    { at: 90, type: 'held' },
    { at: 100, type: 'expired' },
    { at: 102, type: 'confirmed' },
  ]);
  pay(reReserved, 101);

  const holdLost = register('vip', 1, [
    { at: 110, type: 'held' },
    { at: 120, type: 'expired' },
    { at: 122, type: 'cancelled', reason: 'hold_lost' },
  ]);
  pay(holdLost, 121, [[125, 10000]]);

  const nextDay = register('general', 1, [
    { at: 1500, type: 'held' },
    { at: 1503, type: 'confirmed' },
  ]);
  pay(nextDay, 1502);

  const views: [number, string | null][] = [
    [5, 's1'],
    [6, 's1'],
    [15, 's2'],
    [45, null],
    [130, 's3'],
    [131, 's2'],
    [400, null],
    [800, 's4'],
    [801, 's4'],
    [1400, 's1'],
    [1490, 's5'],
    [1495, null],
  ];
  for (const [minutes, sessionId] of views) {
    const data = { eventId, sessionId, referrer: null, occurredAt: at(minutes) };
    events.push(domainEvent('analytics.page-view.v1', 'page_view.recorded', eventId, data, at(minutes)));
  }

  events.sort((a, b) => a.time.localeCompare(b.time));
  return { eventId, organizerId, events };
}

const registrationTypes = [
  'registration.held',
  'registration.confirmed',
  'registration.cancelled',
  'registration.expired',
];
const statusOf: Record<string, string> = {
  'registration.held': 'pending',
  'registration.confirmed': 'confirmed',
  'registration.cancelled': 'cancelled',
  'registration.expired': 'expired',
};

/**
 * The figures computed straight from the published facts, without any of the service's code: the
 * last fact of a registration (by when it happened) is its status; payments and refunds are summed
 * once per payment and refund id.
 */
export function expectedFigures(scenario: Scenario) {
  const facts = scenario.events;
  const data = (event: PublishedEvent) => event.data as Record<string, any>;
  const latestEvent = facts.filter((event) => event.topic === 'events.event.v1').at(-1) as PublishedEvent;
  const registrations = new Map<string, { status: string; at: string; quantity: number; ticketTypeId: string }>();
  for (const event of facts.filter((fact) => registrationTypes.includes(fact.type))) {
    const fact = data(event);
    const known = registrations.get(fact.registrationId);
    if (!known || known.at < fact.occurredAt) {
      registrations.set(fact.registrationId, {
        status: statusOf[event.type] as string,
        at: fact.occurredAt,
        quantity: fact.quantity,
        ticketTypeId: fact.ticketTypeId,
      });
    }
  }
  const all = [...registrations.values()];
  const confirmed = all.filter((registration) => registration.status === 'confirmed');
  const payments = facts.filter((event) => event.type === 'payment.succeeded').map(data);
  const refunds = facts.filter((event) => event.type === 'payment.refunded').map(data);
  const ticketTypeOf = (registrationId: string) => registrations.get(registrationId)?.ticketTypeId;
  const gross = payments.reduce((sum, payment) => sum + payment.amount, 0);
  const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
  const ticketsSold = confirmed.reduce((sum, registration) => sum + registration.quantity, 0);
  const views = facts.filter((event) => event.type === 'page_view.recorded').map(data);
  const uniqueVisitors =
    new Set(views.filter((view) => view.sessionId !== null).map((view) => view.sessionId)).size +
    views.filter((view) => view.sessionId === null).length;
  const capacity = data(latestEvent).capacity as number;
  const ticketTypes = facts
    .filter((event) => event.type === 'ticket_type.created')
    .map(data)
    .sort((a, b) => a.name.localeCompare(b.name));
  const byTicketType = ticketTypes.map((type) => ({
    ticketTypeId: type.ticketTypeId,
    name: type.name,
    sold: confirmed
      .filter((registration) => registration.ticketTypeId === type.ticketTypeId)
      .reduce((sum, registration) => sum + registration.quantity, 0),
    revenue:
      payments
        .filter((payment) => ticketTypeOf(payment.registrationId) === type.ticketTypeId)
        .reduce((sum, payment) => sum + payment.amount, 0) -
      refunds
        .filter((refund) => ticketTypeOf(refund.registrationId) === type.ticketTypeId)
        .reduce((sum, refund) => sum + refund.amount, 0),
  }));
  const count = (status: string) => all.filter((registration) => registration.status === status).length;
  const checkIns = new Set(facts.filter((event) => event.type === 'ticket.checked_in').map((e) => data(e).ticketId));
  const summary = {
    eventId: scenario.eventId,
    asOf: facts
      .map((event) => event.time)
      .sort()
      .at(-1),
    capacity,
    ticketsSold,
    utilization: ticketsSold / capacity,
    registrations: {
      confirmed: count('confirmed'),
      pending: count('pending'),
      cancelled: count('cancelled'),
      expired: count('expired'),
    },
    revenue: { gross, refunded, net: gross - refunded, currency: 'eur' },
    byTicketType,
    pageViews: views.length,
    uniqueVisitors,
    conversionRate: count('confirmed') / uniqueVisitors,
    checkIns: checkIns.size,
  };

  const hourly: Record<string, Map<string, number>> = {
    registrations: new Map(),
    revenue: new Map(),
    pageViews: new Map(),
    checkIns: new Map(),
  };
  const add = (metric: string, time: string, value: number) => {
    const bucket = new Date(Math.floor(Date.parse(time) / hour) * hour).toISOString();
    const series = hourly[metric] as Map<string, number>;
    series.set(bucket, (series.get(bucket) ?? 0) + value);
  };
  for (const registration of confirmed) add('registrations', registration.at, 1);
  for (const payment of payments) add('revenue', payment.occurredAt, payment.amount);
  for (const refund of refunds) add('revenue', refund.occurredAt, -refund.amount);
  for (const view of views) add('pageViews', view.occurredAt, 1);
  for (const event of facts.filter((fact) => fact.type === 'ticket.checked_in')) {
    add('checkIns', data(event).checkedInAt, 1);
  }
  for (const series of Object.values(hourly)) {
    for (const [bucket, value] of series) if (value === 0) series.delete(bucket);
  }
  return { summary, hourly };
}
