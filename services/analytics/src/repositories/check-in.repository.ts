import type { TicketCheckedIn } from '@echoplex/contracts';
import type { FactTable } from './new-facts';

/** A ticket is checked in once: the ticket id keys the fact. */
export const checkIns: FactTable<TicketCheckedIn> = {
  name: 'checkIns',
  keyOf: (checkIn) => checkIn.ticketId,
  async insertNew(trx, facts) {
    const inserted = await trx
      .insertInto('checkIns')
      .values(facts.map((checkIn) => ({ ...checkIn, checkedInAt: new Date(checkIn.checkedInAt) })))
      .onConflict((oc) => oc.column('ticketId').doNothing())
      .returning('ticketId')
      .execute();
    return inserted.map((row) => row.ticketId);
  },
};
