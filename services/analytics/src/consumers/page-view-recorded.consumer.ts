import type { CloudEvent, PageViewRecorded, PageViewsRecorded } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

type View = PageViewsRecorded['views'][number];

/**
 * A visitor is a session id seen for the event. A view without a session counts as a visitor of
 * its own: we cannot tell anonymous viewers apart, and undercounting visitors would overstate the
 * conversion rate.
 */
async function recordViews(trx: Transaction<AnalyticsDb>, target: CounterTarget, eventId: string, views: View[]) {
  const firstSeen = new Map<string, Date>();
  let anonymous = 0;
  let latest = new Date(0);
  for (const view of views) {
    const at = new Date(view.occurredAt);
    if (at > latest) latest = at;
    if (view.sessionId === null) anonymous++;
    else {
      const known = firstSeen.get(view.sessionId);
      if (!known || at < known) firstSeen.set(view.sessionId, at);
    }
  }
  let newSessions = 0;
  if (firstSeen.size > 0) {
    const inserted = await trx
      .insertInto('visitors')
      .values([...firstSeen].map(([sessionId, firstSeenAt]) => ({ eventId, sessionId, firstSeenAt })))
      .onConflict((oc) => oc.columns(['eventId', 'sessionId']).doNothing())
      .returning('sessionId')
      .execute();
    newSessions = inserted.length;
  }
  const delta = emptyDelta(eventId, latest);
  delta.counters.pageViews = views.length;
  if (newSessions + anonymous > 0) delta.counters.uniqueVisitors = newSessions + anonymous;
  for (const view of views) delta.buckets.push({ at: new Date(view.occurredAt), metric: 'pageViews', value: 1 });
  addStatsDelta(trx, target, delta);
}

export function recordPageView(target: CounterTarget) {
  return async (event: CloudEvent<PageViewRecorded>, trx: Transaction<AnalyticsDb>) => {
    const { eventId, ...view } = event.data;
    await recordViews(trx, target, eventId, [view]);
  };
}

/** The endpoint's batches: every view in the message counts, the message is applied once. */
export function recordPageViews(target: CounterTarget) {
  return async (event: CloudEvent<PageViewsRecorded>, trx: Transaction<AnalyticsDb>) => {
    await recordViews(trx, target, event.data.eventId, event.data.views);
  };
}
