import type { EventStatus } from '../db/schema';

export interface AvailabilitySource {
  eventId: string;
  organizerId: string;
  status: EventStatus;
  startTime: Date;
  capacity: number;
  taken: number;
  version: number;
  ticketTypes: {
    id: string;
    quantity: number;
    sold: number;
    salesStart: Date | null;
    salesEnd: Date | null;
  }[];
}

interface Entry {
  source: AvailabilitySource | undefined;
  loadedAt: number;
}

export interface AvailabilityCacheOptions {
  load(eventId: string): Promise<AvailabilitySource | undefined>;
  /**
   * The bound on staleness should a notification be lost (e.g. while the LISTEN connection
   * reconnects): no entry is served older than this.
   */
  maxAgeMs: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * The hot read path's cache: the seat counters of an event, kept in process until a commit that
 * changes them invalidates the entry. Every instance LISTENs on the availability channel that those
 * commits NOTIFY, so a change made by any instance reaches every cache within the notification's
 * latency (milliseconds); `maxAgeMs` bounds it when a notification is lost. Concurrent misses for
 * one event share one database read, and a read that raced an invalidation is not stored, so a
 * refresh storm costs one query per change, not one per request. Statuses that depend on the clock
 * (sales opening or closing) are computed per request from the cached counters, never cached.
 */
export class AvailabilityCache {
  private readonly entries = new Map<string, Entry>();
  /** In-flight reads; an invalidation removes the event's, so a read that raced it is never stored. */
  private readonly loading = new Map<string, Promise<AvailabilitySource | undefined>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: AvailabilityCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async get(eventId: string): Promise<AvailabilitySource | undefined> {
    const entry = this.entries.get(eventId);
    if (entry && this.now() - entry.loadedAt < this.options.maxAgeMs) return entry.source;
    const pending = this.loading.get(eventId);
    if (pending) return pending;
    const loadedAt = this.now();
    const load: Promise<AvailabilitySource | undefined> = this.options.load(eventId).then(
      (source) => {
        if (this.loading.get(eventId) === load) {
          this.loading.delete(eventId);
          this.store(eventId, { source, loadedAt });
        }
        return source;
      },
      (error) => {
        if (this.loading.get(eventId) === load) this.loading.delete(eventId);
        throw error;
      },
    );
    this.loading.set(eventId, load);
    return load;
  }

  invalidate(eventId: string): void {
    this.entries.delete(eventId);
    this.loading.delete(eventId);
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  private store(eventId: string, entry: Entry): void {
    this.entries.delete(eventId);
    this.entries.set(eventId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
