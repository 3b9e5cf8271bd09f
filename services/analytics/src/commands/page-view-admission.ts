import type { PageViewRecorded } from '@echoplex/contracts';
import { Counter, type Registry } from 'prom-client';
import type { PageViewPublisher } from './page-view-publisher';

export interface PageViewAdmissionOptions {
  publisher: Pick<PageViewPublisher, 'record'>;
  registry: Registry;
  /** A view of an event not known yet waits this long (up to twice) for the event to be announced. */
  holdMs?: number;
  /** Views waiting at most; beyond it, a view of an unknown event is dropped at once. */
  maxHeld?: number;
}

/**
 * Only views of events that exist go on to the topic, so no figure counts a view of a made-up id and
 * the reporting tables keep no row for one. The ids are learnt from `events.event.v1` into memory
 * (see followEventIds): the hottest public route asks a Set, never the database. The route and the
 * topic race, and at start the topic is still being read, so a view of an event not known yet waits
 * a while and goes on if its event turns up; otherwise it is dropped and counted. The route answers
 * 202 either way, so it does not tell which ids exist.
 */
export class PageViewAdmission {
  private readonly known = new Set<string>();
  /** Two generations: every `holdMs` the older one is dropped, so no view carries a timer of its own. */
  private waiting = new Map<string, PageViewRecorded[]>();
  private expiring = new Map<string, PageViewRecorded[]>();
  private held = 0;
  private readonly maxHeld: number;
  private readonly dropped: Counter;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: PageViewAdmissionOptions) {
    this.maxHeld = options.maxHeld ?? 10_000;
    this.dropped = new Counter({
      name: 'analytics_page_views_unknown_event_total',
      help: 'Page views dropped because their event id is not a known event',
      registers: [options.registry],
    });
    this.sweeper = setInterval(() => this.sweep(), options.holdMs ?? 10_000);
    this.sweeper.unref();
  }

  /** False only when the publisher sheds load; a view of an unknown event is accepted and never sent. */
  record(view: PageViewRecorded): boolean {
    if (this.known.has(view.eventId)) return this.options.publisher.record(view);
    if (this.held >= this.maxHeld) {
      this.dropped.inc();
      return true;
    }
    const views = this.waiting.get(view.eventId);
    if (views) views.push(view);
    else this.waiting.set(view.eventId, [view]);
    this.held += 1;
    return true;
  }

  /** The event exists: its views are admitted from now on, and those waiting for it go on. */
  learn(eventId: string): void {
    if (this.known.has(eventId)) return;
    this.known.add(eventId);
    for (const generation of [this.expiring, this.waiting]) {
      const views = generation.get(eventId);
      if (!views) continue;
      generation.delete(eventId);
      this.held -= views.length;
      for (const view of views) this.options.publisher.record(view);
    }
  }

  /** The event was deleted: later views of it are views of an unknown event. */
  forget(eventId: string): void {
    this.known.delete(eventId);
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    let expired = 0;
    for (const views of this.expiring.values()) expired += views.length;
    if (expired > 0) this.dropped.inc(expired);
    this.held -= expired;
    this.expiring = this.waiting;
    this.waiting = new Map();
  }
}
