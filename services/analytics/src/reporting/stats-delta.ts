/**
 * A change to the reporting counters of one event. Handlers turn facts into deltas (usually
 * "contribution after minus contribution before"), and one statement applies a delta, so every
 * counter stays the sum of the contributions of the facts stored beside it.
 */
export const counterNames = [
  'pending',
  'confirmed',
  'cancelled',
  'expired',
  'ticketsSold',
  'gross',
  'refunded',
  'checkIns',
  'pageViews',
  'uniqueVisitors',
] as const;
export type CounterName = (typeof counterNames)[number];

export const bucketMetrics = ['registrations', 'revenue', 'pageViews', 'checkIns'] as const;
export type BucketMetric = (typeof bucketMetrics)[number];

export interface StatsDelta {
  eventId: string;
  /** When the fact behind the delta happened: the event's figures are fresh at least up to here. */
  asOf: Date;
  currency: string | null;
  counters: Partial<Record<CounterName, number>>;
  ticketTypes: { ticketTypeId: string; sold: number; revenue: number }[];
  buckets: { at: Date; metric: BucketMetric; value: number }[];
}

export function emptyDelta(eventId: string, asOf: Date, currency: string | null = null): StatsDelta {
  return { eventId, asOf, currency, counters: {}, ticketTypes: [], buckets: [] };
}

export function subtractDelta(after: StatsDelta, before: StatsDelta): StatsDelta {
  const counters: Partial<Record<CounterName, number>> = { ...after.counters };
  for (const name of counterNames) {
    const value = (counters[name] ?? 0) - (before.counters[name] ?? 0);
    if (value === 0) delete counters[name];
    else counters[name] = value;
  }
  return {
    eventId: after.eventId,
    asOf: new Date(Math.max(after.asOf.getTime(), before.asOf.getTime())),
    currency: after.currency ?? before.currency,
    counters,
    ticketTypes: [
      ...after.ticketTypes,
      ...before.ticketTypes.map((row) => ({ ...row, sold: -row.sold, revenue: -row.revenue })),
    ],
    buckets: [...after.buckets, ...before.buckets.map((row) => ({ ...row, value: -row.value }))],
  };
}

/**
 * The deltas of many facts as one delta per event, in event id order: a batch then writes each
 * event's counter rows once, and concurrent batches lock those rows in the same order.
 */
export function mergeDeltas(deltas: StatsDelta[]): StatsDelta[] {
  const byEvent = new Map<string, StatsDelta>();
  for (const delta of deltas) {
    const merged = byEvent.get(delta.eventId) ?? emptyDelta(delta.eventId, delta.asOf, delta.currency);
    for (const name of counterNames) {
      const value = (merged.counters[name] ?? 0) + (delta.counters[name] ?? 0);
      if (value === 0) delete merged.counters[name];
      else merged.counters[name] = value;
    }
    if (delta.asOf > merged.asOf) merged.asOf = delta.asOf;
    merged.currency ??= delta.currency;
    merged.ticketTypes.push(...delta.ticketTypes);
    merged.buckets.push(...delta.buckets);
    byEvent.set(delta.eventId, merged);
  }
  return [...byEvent.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

export function startOfBucket(at: Date, interval: 'hour' | 'day'): Date {
  const size = interval === 'hour' ? hourMs : dayMs;
  return new Date(Math.floor(at.getTime() / size) * size);
}

export function bucketSizeMs(interval: 'hour' | 'day'): number {
  return interval === 'hour' ? hourMs : dayMs;
}

export interface BucketRow {
  bucket: Date;
  registrations: number;
  revenue: number;
  pageViews: number;
  checkIns: number;
}

/**
 * Merges bucket changes into one row per bucket (an upsert may touch a row only once) and drops
 * rows whose changes cancel out.
 */
export function bucketRows(delta: StatsDelta, interval: 'hour' | 'day'): BucketRow[] {
  const rows = new Map<number, BucketRow>();
  for (const change of delta.buckets) {
    const bucket = startOfBucket(change.at, interval);
    const row = rows.get(bucket.getTime()) ?? { bucket, registrations: 0, revenue: 0, pageViews: 0, checkIns: 0 };
    row[change.metric] += change.value;
    rows.set(bucket.getTime(), row);
  }
  return [...rows.values()].filter((row) => bucketMetrics.some((metric) => row[metric] !== 0));
}

/** One row per ticket type, without rows that net to nothing. */
export function ticketTypeRows(delta: StatsDelta): StatsDelta['ticketTypes'] {
  const rows = new Map<string, { ticketTypeId: string; sold: number; revenue: number }>();
  for (const change of delta.ticketTypes) {
    const row = rows.get(change.ticketTypeId) ?? { ticketTypeId: change.ticketTypeId, sold: 0, revenue: 0 };
    row.sold += change.sold;
    row.revenue += change.revenue;
    rows.set(change.ticketTypeId, row);
  }
  return [...rows.values()].filter((row) => row.sold !== 0 || row.revenue !== 0);
}
