import type { Selectable, Transaction } from '@echoplex/db';
import type { AnalyticsDb, PaymentsTable } from '../db/schema';
import { WorkingSet } from './working-set';

export type PaymentState = Selectable<PaymentsTable>;

export interface PaymentMention {
  paymentId: string;
  registrationId: string;
  eventId: string;
}

/**
 * The payments a transaction works on (see WorkingSet), as registrations are. Payments not known
 * yet are created empty: a refund may arrive before its payment.
 */
const payments = new WorkingSet<PaymentState, PaymentMention>({
  idOf: (item) => item.paymentId,
  readAndLock: (trx, mentions) =>
    trx
      .insertInto('payments')
      .values(mentions.map(({ paymentId, registrationId, eventId }) => ({ paymentId, registrationId, eventId })))
      .onConflict((oc) => oc.column('paymentId').doUpdateSet((eb) => ({ paymentId: eb.ref('excluded.paymentId') })))
      .returningAll()
      .execute(),
});

/** Reads and locks the payments the batch's facts will change, in one statement. */
export function lockPayments(trx: Transaction<AnalyticsDb>, mentions: PaymentMention[]): Promise<void> {
  return payments.lock(trx, mentions);
}

/** The payment as known in this transaction, locked. */
export function paymentOf(trx: Transaction<AnalyticsDb>, mention: PaymentMention): Promise<PaymentState> {
  return payments.rowOf(trx, mention);
}

/** Records the payment's new state; savePayments writes it. */
export function keepPayment(trx: Transaction<AnalyticsDb>, state: PaymentState): void {
  payments.change(trx, state);
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
