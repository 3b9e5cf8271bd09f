import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../src/domain/countries';
import {
  assertSchedule,
  EventInput,
  EventPatch,
  eventColumnsOf,
  selfServiceRefundDeadline,
} from '../src/domain/event-input';
import { type EventTransition, nextStatus, type TransitionSubject } from '../src/domain/event-status';
import { decodeCursor, encodeCursor } from '../src/domain/list-cursor';
import { isTimeZone } from '../src/domain/time-zones';
import { sniffImageFormat } from '../src/images/image-rendition';
import { sampleEvents } from '../src/seed';

const now = new Date('2031-06-01T12:00:00Z');
const subject = (overrides: Partial<TransitionSubject> = {}): TransitionSubject => ({
  status: 'draft',
  endTime: new Date('2031-07-01T00:00:00Z'),
  seatsTaken: 0,
  publishedAt: null,
  ...overrides,
});

describe('the event state machine', () => {
  it.each([
    ['draft', 'publish', {}, 'published'],
    ['published', 'unpublish', {}, 'draft'],
    ['published', 'cancel', {}, 'cancelled'],
    ['draft', 'cancel', { publishedAt: new Date('2031-05-01T00:00:00Z') }, 'cancelled'],
  ] as const)('%s --%s--> %s', (status, transition, extra, to) => {
    expect(nextStatus(subject({ status, ...extra }), transition, now)).toEqual({ to });
  });

  it.each([
    ['draft', 'unpublish', {}],
    ['draft', 'cancel', {}],
    ['draft', 'publish', { endTime: new Date('2031-06-01T11:00:00Z') }],
    ['published', 'publish', {}],
    ['published', 'unpublish', { seatsTaken: 1 }],
    ['cancelled', 'publish', {}],
    ['cancelled', 'unpublish', {}],
    ['cancelled', 'cancel', {}],
  ] as [TransitionSubject['status'], EventTransition, Partial<TransitionSubject>][])(
    'refuses %s --%s--> (%o)',
    (status, transition, extra) => {
      expect(nextStatus(subject({ status, ...extra }), transition, now)).toHaveProperty('refused');
    },
  );
});

describe('event input', () => {
  const valid = {
    name: 'Gala',
    startTime: '2031-06-01T18:00:00Z',
    endTime: '2031-06-01T22:00:00Z',
    location: 'Town Hall',
    capacity: 10,
  };

  it('fills defaults, trims text and removes repeated categories', () => {
    expect(EventInput.parse({ ...valid, name: '  Gala  ', categories: ['music', 'music', 'arts'] })).toMatchObject({
      name: 'Gala',
      description: '',
      timezone: 'UTC',
      city: null,
      country: null,
      online: false,
      categories: ['music', 'arts'],
      startTime: new Date('2031-06-01T18:00:00Z'),
    });
  });

  it('upper-cases country codes', () => {
    expect(EventInput.parse({ ...valid, country: 'de' }).country).toBe('DE');
  });

  it('keeps absent fields absent in a patch', () => {
    expect(EventPatch.parse({ capacity: 5 })).toEqual({ capacity: 5 });
    expect(EventPatch.parse({ city: null })).toEqual({ city: null });
  });

  it('accepts real time zones and rejects the rest', () => {
    for (const zone of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Europe/Kyiv']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ['Europe/Atlantis', '+01:00', 'GMT+1 ', '../etc/passwd', '']) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
  });

  it('knows country codes', () => {
    expect(isCountryCode('DE')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('ZZ')).toBe(false);
    expect(isCountryCode('DEU')).toBe(false);
  });

  it('requires the end after the start, within a year', () => {
    const start = new Date('2031-06-01T18:00:00Z');
    expect(() => assertSchedule({ startTime: start, endTime: start })).toThrow(/after/);
    expect(() => assertSchedule({ startTime: start, endTime: new Date('2032-06-02T18:00:00Z') })).toThrow(/366/);
    expect(() => assertSchedule({ startTime: start, endTime: new Date('2031-06-01T18:00:01Z') })).not.toThrow();
  });

  it('ends self-service refunds by the end of the event at the latest, at its start by default', () => {
    const schedule = { startTime: new Date('2031-06-01T18:00:00Z'), endTime: new Date('2031-06-01T22:00:00Z') };
    const until = (iso: string | null) => ({ ...schedule, selfServiceRefundUntil: iso ? new Date(iso) : null });
    expect(() => assertSchedule(until('2031-06-01T22:00:01Z'))).toThrow(/selfServiceUntil/);
    expect(() => assertSchedule(until('2031-06-01T22:00:00Z'))).not.toThrow();
    expect(() => assertSchedule(until('2031-05-01T00:00:00Z'))).not.toThrow();
    expect(selfServiceRefundDeadline(until(null))).toEqual(schedule.startTime);
    expect(selfServiceRefundDeadline(until('2031-05-01T00:00:00Z'))).toEqual(new Date('2031-05-01T00:00:00Z'));
  });

  it('reads the refund policy and the per-account cap as the event row stores them', () => {
    const body = {
      name: 'x',
      startTime: '2031-06-01T18:00:00Z',
      endTime: '2031-06-01T22:00:00Z',
      location: 'y',
      capacity: 5,
    };
    const whole = eventColumnsOf(EventInput.parse(body));
    expect(whole).toMatchObject({ selfServiceRefundUntil: null, maxTicketsPerAccount: null });
    expect(whole).not.toHaveProperty('refundPolicy');
    expect(eventColumnsOf(EventPatch.parse({ capacity: 6 }))).toEqual({ capacity: 6 });
    expect(
      eventColumnsOf(
        EventPatch.parse({ refundPolicy: { selfServiceUntil: '2031-05-01T00:00:00Z' }, maxTicketsPerAccount: 4 }),
      ),
    ).toEqual({ selfServiceRefundUntil: new Date('2031-05-01T00:00:00Z'), maxTicketsPerAccount: 4 });
    expect(EventPatch.safeParse({ maxTicketsPerAccount: 0 }).success).toBe(false);
    expect(EventPatch.safeParse({ refundPolicy: {} }).success).toBe(false);
  });
});

describe('list cursors', () => {
  const encoded = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('round-trip, including a rank that must compare exactly', () => {
    const position = {
      match: 'text' as const,
      sort: 'relevance' as const,
      startTime: new Date('2031-06-01T18:00:00Z'),
      id: '0190b3a4-0000-7000-8000-000000000001',
      rank: 0.1 + 0.2,
    };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    [
      'a relevance order without a rank',
      encoded({ m: 'text', o: 'relevance', s: '2031-06-01T18:00:00.000Z', i: '0190b3a4-0000-7000-8000-000000000001' }),
    ],
    ['a tampered id', encoded({ m: 'all', o: 'soonest', s: '2031-06-01T18:00:00.000Z', i: "1' or '1'='1" })],
  ])('are refused when %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(/cursor/);
  });
});

describe('image sniffing', () => {
  it('tells formats by their first bytes', () => {
    expect(sniffImageFormat(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('jpeg');
    expect(sniffImageFormat(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('png');
    expect(sniffImageFormat(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImageFormat(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('sample events', () => {
  it('are valid create bodies with upcoming, well-ordered times', () => {
    faker.seed(42);
    const samples = sampleEvents(faker, 200);
    expect(samples).toHaveLength(200);
    const soon = Date.now() + 122 * 86_400_000;
    for (const sample of samples) {
      const parsed = EventInput.parse(sample);
      expect(() => assertSchedule(parsed)).not.toThrow();
      expect(parsed.startTime.getTime()).toBeGreaterThan(Date.now());
      expect(parsed.startTime.getTime()).toBeLessThan(soon);
    }
    expect(new Set(samples.map((sample) => sample.city)).size).toBeGreaterThan(10);
    expect(new Set(samples.flatMap((sample) => sample.categories)).size).toBeGreaterThan(5);
  });
});
