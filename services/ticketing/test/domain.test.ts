import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/commands/idempotent-request';
import {
  availabilityUpdates,
  availableSeats,
  type EventSchedule,
  saleRefusal,
  ticketTypeStatus,
} from '../src/domain/availability';
import {
  codeLength,
  isConfirmationCode,
  newConfirmationCode,
  normalizeConfirmationCode,
} from '../src/domain/confirmation-code';
import { csvCell, csvRow } from '../src/domain/csv';
import { newId } from '../src/domain/ids';
import { ownsPath, ticketingRoutes } from '../src/plugin';
import { AvailabilityCache, type AvailabilitySource } from '../src/queries/availability-cache';

describe('confirmation codes', () => {
  it('are ten Crockford base32 symbols (50 random bits), distinct across many draws', () => {
    const codes = Array.from({ length: 20_000 }, newConfirmationCode);
    for (const code of codes.slice(0, 100)) {
      expect(code).toHaveLength(codeLength);
      expect(isConfirmationCode(code)).toBe(true);
      expect(code).not.toMatch(/[ILOU]/);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('use every symbol in every position (no bias that would shrink the space)', () => {
    const seen = Array.from({ length: codeLength }, () => new Set<string>());
    for (let i = 0; i < 5_000; i++) {
      for (const [at, symbol] of [...newConfirmationCode()].entries()) seen[at]?.add(symbol);
    }
    expect(seen.map((symbols) => symbols.size)).toEqual(Array(codeLength).fill(32));
  });

  it('read what people type: lower case, hyphens, spaces, I/L for 1 and O for 0', () => {
    expect(normalizeConfirmationCode('ab1o-0il 9z')).toBe('AB100119Z');
    expect(normalizeConfirmationCode('7k3m-9xq2ab')).toBe('7K3M9XQ2AB');
  });
});

describe('CSV cells', () => {
  it('defuse cells a spreadsheet would run as a formula', () => {
    for (const dangerous of ['=1+2', '+1', '-1', '@SUM(A1)', '\tcmd', '\r=1']) {
      expect(csvCell(dangerous).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('Ada')).toBe('Ada');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
  });

  it('quote separators, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvRow(['a', '=b', null, 3])).toBe("a,'=b,,3\r\n");
  });
});

describe('availability', () => {
  const event: EventSchedule = { status: 'published', startTime: new Date('2027-03-10T18:00:00Z') };
  const window = { salesStart: new Date('2027-03-01T09:00:00Z'), salesEnd: new Date('2027-03-05T09:00:00Z') };

  it('caps a ticket type by what is left of the event', () => {
    expect(availableSeats({ quantity: 50, sold: 10 }, { capacity: 80, taken: 60 })).toBe(20);
    expect(availableSeats({ quantity: 50, sold: 45 }, { capacity: 80, taken: 60 })).toBe(5);
    expect(availableSeats({ quantity: 50, sold: 10 }, { capacity: 60, taken: 70 })).toBe(0);
  });

  it('computes the status at the window edges: start inclusive, end exclusive, event start closes', () => {
    const at = (iso: string, available = 3) => ticketTypeStatus(window, event, available, new Date(iso));
    expect(at('2027-03-01T08:59:59.999Z')).toBe('scheduled');
    expect(at('2027-03-01T09:00:00.000Z')).toBe('on_sale');
    expect(at('2027-03-02T00:00:00.000Z', 0)).toBe('sold_out');
    expect(at('2027-03-05T08:59:59.999Z')).toBe('on_sale');
    expect(at('2027-03-05T09:00:00.000Z')).toBe('ended');
    const open = { salesStart: null, salesEnd: null };
    expect(ticketTypeStatus(open, event, 3, new Date('2027-03-10T18:00:00Z'))).toBe('ended');
    expect(ticketTypeStatus(open, { ...event, status: 'cancelled' }, 3, new Date('2027-03-02T00:00:00Z'))).toBe(
      'ended',
    );
  });

  it('names why a sale is refused', () => {
    const at = (iso: string, state = event) => saleRefusal(window, state, new Date(iso));
    expect(at('2027-03-01T08:00:00Z')).toBe('sales_not_open');
    expect(at('2027-03-02T08:00:00Z')).toBeUndefined();
    expect(at('2027-03-06T08:00:00Z')).toBe('sales_closed');
    expect(at('2027-03-02T08:00:00Z', { ...event, status: 'draft' })).toBe('event_not_open');
    expect(at('2027-03-11T08:00:00Z')).toBe('event_not_open');
  });

  it('announces the touched ticket type and any other the event cap now binds differently', () => {
    const snapshot = {
      event: { id: 'e', capacity: 80, taken: 75, version: 9 },
      ticketTypes: [
        { id: 'a', quantity: 50, sold: 45 },
        { id: 'b', quantity: 50, sold: 30 },
        { id: 'c', quantity: 10, sold: 8 },
      ],
    };
    const updates = availabilityUpdates(snapshot, { touched: ['a'], soldDelta: new Map([['a', 5]]), takenDelta: 5 });
    // a: 5 → min(5, 5); b: min(20, 10) → min(20, 5); c: min(2, 10) → min(2, 5) unchanged.
    expect(updates).toEqual([
      { eventId: 'e', ticketTypeId: 'a', available: 5, quantity: 50, version: 9 },
      { eventId: 'e', ticketTypeId: 'b', available: 5, quantity: 50, version: 9 },
    ]);
    const capacityDrop = availabilityUpdates(snapshot, { touched: [], capacityBefore: 100 });
    // 25 seats left → 5: only b, which had more than 5 of its own left, moves.
    expect(capacityDrop.map((update) => update.ticketTypeId)).toEqual(['b']);
  });
});

describe('availability cache', () => {
  const source = (version: number): AvailabilitySource => ({
    eventId: 'e',
    organizerId: 'o',
    status: 'published',
    startTime: new Date(),
    capacity: 10,
    taken: 0,
    version,
    ticketTypes: [],
  });

  it('serves repeated reads from one load until invalidated or too old', async () => {
    let loads = 0;
    let now = 0;
    const cache = new AvailabilityCache({ load: async () => source(++loads), maxAgeMs: 1_000, now: () => now });
    const reads = await Promise.all(Array.from({ length: 50 }, () => cache.get('e')));
    expect(loads).toBe(1);
    expect(new Set(reads.map((read) => read?.version))).toEqual(new Set([1]));
    expect((await cache.get('e'))?.version).toBe(1);
    cache.invalidate('e');
    expect((await cache.get('e'))?.version).toBe(2);
    now = 1_000;
    expect((await cache.get('e'))?.version).toBe(3);
  });

  it('never stores a read that an invalidation overtook', async () => {
    let release: (value: AvailabilitySource) => void = () => {};
    let loads = 0;
    const cache = new AvailabilityCache({
      load: () => {
        loads++;
        return loads === 1 ? new Promise((resolve) => (release = resolve)) : Promise.resolve(source(2));
      },
      maxAgeMs: 60_000,
    });
    const stale = cache.get('e');
    cache.invalidate('e');
    release(source(1));
    expect((await stale)?.version).toBe(1);
    expect((await cache.get('e'))?.version).toBe(2);
    expect(loads).toBe(2);
  });
});

describe('ids and request fingerprints', () => {
  it('makes UUID v7 ids that sort in creation order within one millisecond', () => {
    const ids = Array.from({ length: 1_000 }, () => newId(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('fingerprints bodies independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } })).toBe(
      canonicalJson({ a: { c: 2, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });
});

describe('route ownership', () => {
  it('claims its sub-resources of events and leaves the rest of /api/events to the events service', () => {
    const id = '0190f0a4-5a8e-7c31-9d2e-3f6a1b2c4d5e';
    for (const path of [
      '/api/registrations',
      '/api/registrations/x/cancel',
      `/api/events/${id}/tickets`,
      `/api/events/${id}/tickets/abc`,
      `/api/events/${id}/availability?x=1`,
      `/api/events/${id}/registrations`,
      `/api/events/${id}/check-ins`,
    ]) {
      expect(ownsPath(path), path).toBe(true);
    }
    for (const path of [
      '/api/events',
      `/api/events/${id}`,
      `/api/events/${id}/publish`,
      `/api/events/${id}/ticketsx`,
      '/api/registrationsx',
    ]) {
      expect(ownsPath(path), path).toBe(false);
    }
    expect(ticketingRoutes).toContain('/api/registrations');
  });
});
