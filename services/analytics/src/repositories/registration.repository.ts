import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import type { RegistrationState } from '../reporting/registration-state';
import { WorkingSet } from './working-set';

export interface RegistrationMention {
  registrationId: string;
  eventId: string;
}

/** The registrations a transaction works on (see WorkingSet). */
const registrations = new WorkingSet<RegistrationState>();

/**
 * Reads the registrations as known so far, creating empty rows for those not known yet, and locks
 * them: concurrent facts of one registration (registration and payment topics are consumed in
 * parallel) are applied one after the other. Ids are locked in sorted order, so two transactions
 * locking overlapping sets cannot deadlock.
 */
export async function lockRegistrations(trx: Transaction<AnalyticsDb>, mentions: RegistrationMention[]): Promise<void> {
  const eventIds = new Map<string, string>();
  for (const { registrationId, eventId } of mentions) {
    if (!registrations.get(trx, registrationId)) eventIds.set(registrationId, eventId);
  }
  if (eventIds.size === 0) return;
  const rows = await trx
    .insertInto('registrations')
    .values(
      [...eventIds]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([registrationId, eventId]) => ({ registrationId, eventId })),
    )
    .onConflict((oc) => oc.column('registrationId').doUpdateSet((eb) => ({ eventId: eb.ref('excluded.eventId') })))
    .returningAll()
    .execute();
  for (const row of rows) registrations.add(trx, row.registrationId, row);
}

/** The registration as known in this transaction, locked (alone, if lockRegistrations did not cover it). */
export async function registrationOf(
  trx: Transaction<AnalyticsDb>,
  registrationId: string,
  eventId: string,
): Promise<RegistrationState> {
  const known = registrations.get(trx, registrationId);
  if (known) return known;
  await lockRegistrations(trx, [{ registrationId, eventId }]);
  return registrations.get(trx, registrationId) as RegistrationState;
}

/** Records the registration's new state; saveRegistrations writes it. */
export function keepRegistration(trx: Transaction<AnalyticsDb>, state: RegistrationState): void {
  registrations.change(trx, state.registrationId, state);
}

/** Writes every registration changed in this transaction, in one statement (the rows exist and are locked). */
export async function saveRegistrations(trx: Transaction<AnalyticsDb>): Promise<void> {
  const rows = registrations.takeChanged(trx);
  if (rows.length === 0) return;
  await trx
    .insertInto('registrations')
    .values(rows)
    .onConflict((oc) =>
      oc.column('registrationId').doUpdateSet((eb) => ({
        eventId: eb.ref('excluded.eventId'),
        ticketTypeId: eb.ref('excluded.ticketTypeId'),
        userId: eb.ref('excluded.userId'),
        quantity: eb.ref('excluded.quantity'),
        amount: eb.ref('excluded.amount'),
        currency: eb.ref('excluded.currency'),
        status: eb.ref('excluded.status'),
        statusAt: eb.ref('excluded.statusAt'),
        statusRank: eb.ref('excluded.statusRank'),
        registeredAt: eb.ref('excluded.registeredAt'),
        netRevenue: eb.ref('excluded.netRevenue'),
      })),
    )
    .execute();
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
  const state = await registrationOf(trx, registrationId, eventId);
  keepRegistration(trx, { ...state, netRevenue: state.netRevenue + amount });
  return state.ticketTypeId;
}
