import type { CloudEvent, TicketCheckedIn } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { checkIns } from '../repositories/check-in.repository';
import { takeNewFacts } from '../repositories/new-facts';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

/** A ticket is checked in once: the ticket id keys the fact, so a re-announced check-in counts once. */
export function recordTicketCheckedIn(target: CounterTarget) {
  return async (event: CloudEvent<TicketCheckedIn>, trx: Transaction<AnalyticsDb>) => {
    const checkedInAt = new Date(event.data.checkedInAt);
    const [isNew] = await takeNewFacts(trx, checkIns, [event.data]);
    const delta = emptyDelta(event.data.eventId, checkedInAt);
    if (isNew) {
      delta.counters.checkIns = 1;
      delta.buckets.push({ at: checkedInAt, metric: 'checkIns', value: 1 });
    }
    addStatsDelta(trx, target, delta);
  };
}
