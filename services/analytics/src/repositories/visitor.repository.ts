import type { Insertable } from '@echoplex/db';
import type { VisitorsTable } from '../db/schema';
import type { FactTable } from './new-facts';

export type Visitor = Insertable<VisitorsTable>;

/** The event id is a uuid, so the key cannot be ambiguous whatever the session id holds. */
const visitorKey = ({ eventId, sessionId }: { eventId: string; sessionId: string }) => `${eventId} ${sessionId}`;

/** A visitor is a session seen for an event. */
export const visitors: FactTable<Visitor> = {
  name: 'visitors',
  keyOf: visitorKey,
  async insertNew(trx, facts) {
    const inserted = await trx
      .insertInto('visitors')
      .values(facts)
      .onConflict((oc) => oc.columns(['eventId', 'sessionId']).doNothing())
      .returning(['eventId', 'sessionId'])
      .execute();
    return inserted.map(visitorKey);
  },
};
