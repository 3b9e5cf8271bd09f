import type { CloudEvent, PageViewRecorded, PageViewsRecorded } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { takeNewFacts } from '../repositories/new-facts';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';
import { type Visitor, visitors } from '../repositories/visitor.repository';

type View = PageViewsRecorded['views'][number];
export type PageViewEvent = CloudEvent<PageViewRecorded> | CloudEvent<PageViewsRecorded>;

function viewsOf(event: PageViewEvent): { eventId: string; views: View[] } {
  if ('views' in event.data) return event.data;
  const { eventId, ...view } = event.data;
  return { eventId, views: [view] };
}

/** The sessions seen in the messages, each with the time of its earliest view among them. */
export function visitorsIn(events: PageViewEvent[]): Visitor[] {
  const firstSeen = new Map<string, Visitor>();
  for (const event of events) {
    const { eventId, views } = viewsOf(event);
    for (const { sessionId, occurredAt } of views) {
      if (sessionId === null) continue;
      const visitor = { eventId, sessionId, firstSeenAt: new Date(occurredAt) };
      const known = firstSeen.get(visitors.keyOf(visitor));
      if (!known || visitor.firstSeenAt < known.firstSeenAt) firstSeen.set(visitors.keyOf(visitor), visitor);
    }
  }
  return [...firstSeen.values()];
}

/**
 * A visitor is a session id seen for the event. A view without a session counts as a visitor of
 * its own: we cannot tell anonymous viewers apart, and undercounting visitors would overstate the
 * conversion rate.
 */
async function recordViews(trx: Transaction<AnalyticsDb>, target: CounterTarget, event: PageViewEvent) {
  const { eventId, views } = viewsOf(event);
  const newSessions = (await takeNewFacts(trx, visitors, visitorsIn([event]))).length;
  const anonymous = views.filter((view) => view.sessionId === null).length;
  let latest = new Date(0);
  for (const view of views) {
    const at = new Date(view.occurredAt);
    if (at > latest) latest = at;
  }
  const delta = emptyDelta(eventId, latest);
  delta.counters.pageViews = views.length;
  if (newSessions + anonymous > 0) delta.counters.uniqueVisitors = newSessions + anonymous;
  for (const view of views) delta.buckets.push({ at: new Date(view.occurredAt), metric: 'pageViews', value: 1 });
  addStatsDelta(trx, target, delta);
}

export function recordPageView(target: CounterTarget) {
  return (event: CloudEvent<PageViewRecorded>, trx: Transaction<AnalyticsDb>) => recordViews(trx, target, event);
}

/** The endpoint's batches: every view in the message counts, the message is applied once. */
export function recordPageViews(target: CounterTarget) {
  return (event: CloudEvent<PageViewsRecorded>, trx: Transaction<AnalyticsDb>) => recordViews(trx, target, event);
}
