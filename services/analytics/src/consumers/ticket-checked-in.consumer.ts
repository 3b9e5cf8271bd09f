import type { CloudEvent, TicketCheckedIn } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

/** A ticket is checked in once: the ticket id keys the fact, so a re-announced check-in counts once. */
export function recordTicketCheckedIn(target: CounterTarget) {
  return async (event: CloudEvent<TicketCheckedIn>, trx: Transaction<AnalyticsDb>) => {
    const checkedInAt = new Date(event.data.checkedInAt);
    const inserted = await trx
      .insertInto('checkIns')
      .values({ ...event.data, checkedInAt })
      .onConflict((oc) => oc.column('ticketId').doNothing())
      .returning('ticketId')
      .executeTakeFirst();
    const delta = emptyDelta(event.data.eventId, checkedInAt);
    if (inserted) {
      delta.counters.checkIns = 1;
      delta.buckets.push({ at: checkedInAt, metric: 'checkIns', value: 1 });
    }
    addStatsDelta(trx, target, delta);
  };
}
