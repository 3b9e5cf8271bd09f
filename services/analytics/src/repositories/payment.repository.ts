import type { Selectable, Transaction } from '@echoplex/db';
import type { AnalyticsDb, PaymentsTable } from '../db/schema';
import { WorkingSet } from './working-set';

export type PaymentState = Selectable<PaymentsTable>;

export interface PaymentMention {
  paymentId: string;
  registrationId: string;
  eventId: string;
}

/** The payments a transaction works on (see WorkingSet), as registrations are (see registration.repository). */
const payments = new WorkingSet<PaymentState>();

/**
 * Reads the payments as known so far, creating empty rows for those not known yet (a refund may
 * arrive before its payment), and locks them, in sorted order so that two transactions locking
 * overlapping sets cannot deadlock.
 */
export async function lockPayments(trx: Transaction<AnalyticsDb>, mentions: PaymentMention[]): Promise<void> {
  const unknown = new Map<string, PaymentMention>();
  for (const mention of mentions) {
    if (!payments.get(trx, mention.paymentId)) unknown.set(mention.paymentId, mention);
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
  for (const row of rows) payments.add(trx, row.paymentId, row);
}

/** The payment as known in this transaction, locked (alone, if lockPayments did not cover it). */
export async function paymentOf(trx: Transaction<AnalyticsDb>, mention: PaymentMention): Promise<PaymentState> {
  const known = payments.get(trx, mention.paymentId);
  if (known) return known;
  await lockPayments(trx, [mention]);
  return payments.get(trx, mention.paymentId) as PaymentState;
}

/** Records the payment's new state; savePayments writes it. */
export function keepPayment(trx: Transaction<AnalyticsDb>, state: PaymentState): void {
  payments.change(trx, state.paymentId, state);
}

/** Writes every payment changed in this transaction, in one statement (the rows exist and are locked). */
export async function savePayments(trx: Transaction<AnalyticsDb>): Promise<void> {
  const rows = payments.takeChanged(trx);
  if (rows.length === 0) return;
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
