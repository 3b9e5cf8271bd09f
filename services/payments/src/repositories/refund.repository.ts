import type { Insertable, Kysely, Selectable, Updateable } from '@echoplex/db';
import { sql } from '@echoplex/db';
import type { PaymentsDb, RefundsTable } from '../db/schema';

export type Refund = Selectable<RefundsTable>;

export class RefundRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  insert(refund: Insertable<RefundsTable>): Promise<Refund> {
    return this.db.insertInto('refunds').values(refund).returningAll().executeTakeFirstOrThrow();
  }

  /** Inserts unless a refund for the same source event exists; undefined when it did. */
  insertOnce(refund: Insertable<RefundsTable>): Promise<Refund | undefined> {
    return this.db
      .insertInto('refunds')
      .values(refund)
      .onConflict((oc) => oc.column('sourceEventId').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  find(id: string): Promise<Refund | undefined> {
    return this.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<Refund | undefined> {
    return this.db.selectFrom('refunds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  lockByStripeId(stripeRefundId: string): Promise<Refund | undefined> {
    return this.db
      .selectFrom('refunds')
      .selectAll()
      .where('stripeRefundId', '=', stripeRefundId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Money promised by refunds not yet settled, so concurrent refunds never exceed what was paid. */
  async pendingTotal(paymentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('refunds')
      .select(sql<number>`coalesce(sum(amount), 0)::int`.as('total'))
      .where('paymentId', '=', paymentId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return row.total;
  }

  ofPayments(paymentIds: string[]): Promise<Refund[]> {
    if (paymentIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('refunds').selectAll().where('paymentId', 'in', paymentIds).orderBy('id').execute();
  }

  /** Refunds still to be sent to (or confirmed by) Stripe, oldest first. */
  pending(createdBefore: Date, limit: number): Promise<Refund[]> {
    return this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', '=', 'pending')
      .where('createdAt', '<', createdBefore)
      .orderBy('createdAt')
      .limit(limit)
      .execute();
  }

  async update(id: string, patch: Updateable<RefundsTable>): Promise<void> {
    await this.db
      .updateTable('refunds')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }
}
