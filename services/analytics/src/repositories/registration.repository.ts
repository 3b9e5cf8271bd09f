import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import type { RegistrationState } from '../reporting/registration-state';

/**
 * Returns the registration as known so far, creating an empty row when nothing is known yet, and
 * locks it: concurrent facts of one registration (registration and payment topics are consumed in
 * parallel) are applied one after the other.
 */
export async function lockRegistration(
  trx: Transaction<AnalyticsDb>,
  registrationId: string,
  eventId: string,
): Promise<RegistrationState> {
  return trx
    .insertInto('registrations')
    .values({ registrationId, eventId })
    .onConflict((oc) => oc.column('registrationId').doUpdateSet((eb) => ({ eventId: eb.ref('excluded.eventId') })))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function saveRegistration(trx: Transaction<AnalyticsDb>, state: RegistrationState): Promise<void> {
  const { registrationId, netRevenue: _netRevenue, ...facts } = state;
  await trx.updateTable('registrations').set(facts).where('registrationId', '=', registrationId).execute();
}

/**
 * Adds money paid (or, negative, refunded) to the registration and returns its ticket type, if
 * known, so the caller can credit that ticket type's revenue in the same transaction.
 */
export async function addNetRevenue(
  trx: Transaction<AnalyticsDb>,
  registrationId: string,
  eventId: string,
  amount: number,
): Promise<string | null> {
  const row = await trx
    .insertInto('registrations')
    .values({ registrationId, eventId, netRevenue: amount })
    .onConflict((oc) =>
      oc.column('registrationId').doUpdateSet((eb) => ({
        netRevenue: eb('registrations.netRevenue', '+', eb.ref('excluded.netRevenue')),
      })),
    )
    .returning('ticketTypeId')
    .executeTakeFirstOrThrow();
  return row.ticketTypeId;
}
