import type { Selectable, Transaction } from '@echoplex/db';
import type { AnalyticsDb, PaymentsTable } from '../db/schema';

export type PaymentState = Selectable<PaymentsTable>;

export interface PaymentMention {
  paymentId: string;
  registrationId: string;
  eventId: string;
}

/**
 * The payments a transaction works on, read and locked once (lockPayments) and written back
 * together just before the commit (savePayments), as registrations are (see registration.repository).
 * Keyed by the transaction, so a rolled-back transaction's changes disappear with it.
 */
const workingSets = new WeakMap<Transaction<any>, { states: Map<string, PaymentState>; changed: Set<string> }>();

function workingSetOf(trx: Transaction<any>) {
  let workingSet = workingSets.get(trx);
  if (!workingSet) {
    workingSet = { states: new Map(), changed: new Set() };
    workingSets.set(trx, workingSet);
  }
  return workingSet;
}

/**
 * Reads the payments as known so far, creating empty rows for those not known yet (a refund may
 * arrive before its payment), and locks them, in sorted order so that two transactions locking
 * overlapping sets cannot deadlock.
 */
export async function lockPayments(trx: Transaction<AnalyticsDb>, mentions: PaymentMention[]): Promise<void> {
  const workingSet = workingSetOf(trx);
  const unknown = new Map<string, PaymentMention>();
  for (const mention of mentions) {
    if (!workingSet.states.has(mention.paymentId)) unknown.set(mention.paymentId, mention);
  }
  if (unknown.size === 0) return;
  const rows = await trx
    .insertInto('payments')
    .values(
      [...unknown]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, { paymentId, registrationId, eventId }]) => ({ paymentId, registrationId, eventId })),
    )
    .onConflict((oc) => oc.column('paymentId').doUpdateSet((eb) => ({ paymentId: eb.ref('excluded.paymentId') })))
    .returningAll()
    .execute();
  for (const row of rows) workingSet.states.set(row.paymentId, row);
}

/** The payment as known in this transaction, locked (alone, if lockPayments did not cover it). */
export async function paymentOf(trx: Transaction<AnalyticsDb>, mention: PaymentMention): Promise<PaymentState> {
  const known = workingSets.get(trx)?.states.get(mention.paymentId);
  if (known) return known;
  await lockPayments(trx, [mention]);
  return workingSetOf(trx).states.get(mention.paymentId) as PaymentState;
}

/** Records the payment's new state; savePayments writes it. */
export function keepPayment(trx: Transaction<AnalyticsDb>, state: PaymentState): void {
  const workingSet = workingSetOf(trx);
  workingSet.states.set(state.paymentId, state);
  workingSet.changed.add(state.paymentId);
}

/** Writes every payment changed in this transaction, in one statement (the rows exist and are locked). */
export async function savePayments(trx: Transaction<AnalyticsDb>): Promise<void> {
  const workingSet = workingSets.get(trx);
  workingSets.delete(trx);
  if (!workingSet || workingSet.changed.size === 0) return;
  const rows = [...workingSet.changed].sort().map((id) => workingSet.states.get(id) as PaymentState);
  await trx
    .insertInto('payments')
    .values(rows)
    .onConflict((oc) =>
      oc.column('paymentId').doUpdateSet((eb) => ({
        amount: eb.ref('excluded.amount'),
        currency: eb.ref('excluded.currency'),
        succeededAt: eb.ref('excluded.succeededAt'),
        refundedTotal: eb.ref('excluded.refundedTotal'),
      })),
    )
    .execute();
}
