import { describe, expect, it } from 'vitest';
import type { RegistrationStatus } from '../src/db/schema';
import {
  applyRegistrationFact,
  type RegistrationFact,
  type RegistrationState,
  registrationContribution,
} from '../src/reporting/registration-state';
import { bucketRows, type StatsDelta, subtractDelta, ticketTypeRows } from '../src/reporting/stats-delta';

const registrationId = '0190a000-0000-7000-8000-000000000001';
const eventId = '0190a000-0000-7000-8000-000000000002';
const ticketTypeId = '0190a000-0000-7000-8000-000000000003';

const unknown: RegistrationState = {
  registrationId,
  eventId,
  ticketTypeId: null,
  userId: null,
  quantity: null,
  amount: null,
  currency: null,
  status: null,
  statusAt: null,
  statusRank: null,
  registeredAt: null,
  netRevenue: 0,
};

const fact = (status: RegistrationStatus, minute: number): RegistrationFact => ({
  registrationId,
  eventId,
  ticketTypeId,
  userId: '0190a000-0000-7000-8000-000000000004',
  quantity: 2,
  amount: 5000,
  currency: 'eur',
  status,
  occurredAt: new Date(Date.UTC(2027, 2, 1, 10, minute)),
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Applies facts one by one the way the consumer does, summing the deltas it would write. */
function replay(facts: RegistrationFact[], start: RegistrationState = unknown) {
  let state = start;
  const deltas: StatsDelta[] = [];
  for (const next of facts) {
    const after = applyRegistrationFact(state, next);
    deltas.push(subtractDelta(registrationContribution(after), registrationContribution(state)));
    state = after;
  }
  const counters: Record<string, number> = {};
  for (const delta of deltas) {
    for (const [name, value] of Object.entries(delta.counters)) counters[name] = (counters[name] ?? 0) + value;
  }
  const merged: StatsDelta = {
    eventId,
    asOf: new Date(0),
    currency: null,
    counters: {},
    ticketTypes: deltas.flatMap((delta) => delta.ticketTypes),
    buckets: deltas.flatMap((delta) => delta.buckets),
  };
  return {
    state,
    counters: Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0)),
    ticketTypes: ticketTypeRows(merged),
    hours: bucketRows(merged, 'hour'),
  };
}

describe('a registration learned from facts in any order', () => {
  const lifecycles: RegistrationFact[][] = [
    [fact('pending', 0), fact('confirmed', 5), fact('cancelled', 40)],
    [fact('pending', 0), fact('expired', 10), fact('confirmed', 12)],
    [fact('pending', 0), fact('expired', 10), fact('cancelled', 12)],
    [fact('confirmed', 0)],
  ];

  it.each(lifecycles.map((facts) => [facts.map((f) => f.status).join(' → '), facts]))(
    '%s ends the same, counted once, in every delivery order and with duplicates',
    (_name, facts) => {
      const inOrder = replay(facts as RegistrationFact[]);
      for (const order of permutations(facts as RegistrationFact[])) {
        const withCopies = replay([...order, ...order.slice().reverse()]);
        expect(withCopies.state).toEqual(inOrder.state);
        expect(withCopies.counters).toEqual(inOrder.counters);
        expect(withCopies.ticketTypes).toEqual(inOrder.ticketTypes);
        expect(withCopies.hours).toEqual(inOrder.hours);
      }
    },
  );

  it('counts a confirmed registration as seats sold in the hour it was confirmed', () => {
    const { counters, ticketTypes, hours, state } = replay([fact('confirmed', 12), fact('pending', 0)]);
    expect(state.status).toBe('confirmed');
    expect(state.registeredAt).toEqual(fact('pending', 0).occurredAt);
    expect(counters).toEqual({ confirmed: 1, ticketsSold: 2 });
    expect(ticketTypes).toEqual([{ ticketTypeId, sold: 2, revenue: 0 }]);
    expect(hours).toEqual([
      { bucket: new Date(Date.UTC(2027, 2, 1, 10)), registrations: 1, revenue: 0, pageViews: 0, checkIns: 0 },
    ]);
  });

  it('takes the later lifecycle step when two facts share an instant', () => {
    expect(replay([fact('cancelled', 5), fact('confirmed', 5)]).state.status).toBe('cancelled');
    expect(replay([fact('confirmed', 5), fact('cancelled', 5)]).state.status).toBe('cancelled');
  });

  it('credits money paid before the registration was known to its ticket type once it is', () => {
    const paidFirst = { ...unknown, netRevenue: 5000 };
    const { counters, ticketTypes } = replay([fact('pending', 0), fact('confirmed', 5)], paidFirst);
    expect(counters).toEqual({ confirmed: 1, ticketsSold: 2 });
    expect(ticketTypes).toEqual([{ ticketTypeId, sold: 2, revenue: 5000 }]);
  });

  it('takes a cancelled registration out of the seats sold and the hour it was confirmed in', () => {
    const { counters, ticketTypes, hours } = replay([fact('pending', 0), fact('confirmed', 5), fact('cancelled', 70)]);
    expect(counters).toEqual({ cancelled: 1 });
    expect(ticketTypes).toEqual([]);
    expect(hours).toEqual([]);
  });
});
