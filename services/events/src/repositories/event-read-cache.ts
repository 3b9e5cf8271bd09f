import type { EventRepository, EventRow } from './event.repository';

export const eventChangedChannel = 'events_event_changed';

export interface CachedEvent {
  event: EventRow;
  /** The response body, serialized once per version of the event instead of once per request. */
  json: string;
}

export interface EventReadCacheOptions {
  present: (event: EventRow) => unknown;
  now: () => number;
  maxEntries?: number;
  /** A safety net only: entries are evicted as soon as a change is notified. */
  ttlMs?: number;
}

/**
 * `GET /api/events/:id` is the hottest read; event pages change rarely. Entries are evicted by the
 * commands of this instance right after their commit (so a writer reads its own write) and by the
 * `events_event_changed` notification for changes made anywhere else (other instances, consumers).
 * A read that raced an eviction is not stored, so a stale row cannot be cached after its eviction.
 */
export class EventReadCache {
  private readonly entries = new Map<string, CachedEvent & { expiresAt: number }>();
  private evictions = 0;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(
    private readonly events: EventRepository,
    private readonly options: EventReadCacheOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  /** The cached event if it is fresh; synchronous, so a hit costs no promise. */
  peek(id: string): CachedEvent | undefined {
    const hit = this.entries.get(id);
    return hit && hit.expiresAt > this.options.now() ? hit : undefined;
  }

  async get(id: string): Promise<CachedEvent | undefined> {
    return this.peek(id) ?? this.load(id);
  }

  private async load(id: string): Promise<CachedEvent | undefined> {
    const now = this.options.now();
    const evictionsBefore = this.evictions;
    const event = await this.events.findById(id);
    if (!event) return undefined;
    const entry = { event, json: JSON.stringify(this.options.present(event)), expiresAt: now + this.ttlMs };
    if (this.evictions === evictionsBefore) {
      this.entries.delete(id);
      this.entries.set(id, entry);
      if (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
      }
    }
    return entry;
  }

  evict(id: string): void {
    this.evictions++;
    this.entries.delete(id);
  }

  /** After the notification connection was lost: anything may have changed meanwhile. */
  clear(): void {
    this.evictions++;
    this.entries.clear();
  }
}
