import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import type { RegistrationState } from '../reporting/registration-state';
import { WorkingSet } from './working-set';

export interface RegistrationMention {
  registrationId: string;
  eventId: string;
}

/**
 * The registrations a transaction works on (see WorkingSet). Locked, because concurrent facts of
 * one registration (registration and payment topics are consumed in parallel) must be applied one
 * after the other; those not known yet are created empty.
 */
const registrations = new WorkingSet<RegistrationState, RegistrationMention>({
  idOf: (item) => item.registrationId,
  readAndLock: (trx, mentions) =>
    trx
      .insertInto('registrations')
      .values(mentions.map(({ registrationId, eventId }) => ({ registrationId, eventId })))
      .onConflict((oc) => oc.column('registrationId').doUpdateSet((eb) => ({ eventId: eb.ref('excluded.eventId') })))
      .returningAll()
      .execute(),
});

/** Reads and locks the registrations the batch's facts will change, in one statement. */
export function lockRegistrations(trx: Transaction<AnalyticsDb>, mentions: RegistrationMention[]): Promise<void> {
  return registrations.lock(trx, mentions);
}

/** The registration as known in this transaction, locked. */
export function registrationOf(
  trx: Transaction<AnalyticsDb>,
  registrationId: string,
  eventId: string,
): Promise<RegistrationState> {
  return registrations.rowOf(trx, { registrationId, eventId });
}

/** Records the registration's new state; saveRegistrations writes it. */
export function keepRegistration(trx: Transaction<AnalyticsDb>, state: RegistrationState): void {
  registrations.change(trx, state);
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
