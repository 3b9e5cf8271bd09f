import type { Insertable, Kysely, Selectable, Updateable } from '@echoplex/db';
import type { PaymentsDb, PaymentsTable } from '../db/schema';

export type Payment = Selectable<PaymentsTable>;

export class PaymentRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  async insert(payment: Insertable<PaymentsTable>): Promise<Payment> {
    return this.db.insertInto('payments').values(payment).returningAll().executeTakeFirstOrThrow();
  }

  find(id: string): Promise<Payment | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<Payment | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  findByIntent(stripePaymentIntentId: string): Promise<Payment | undefined> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('stripePaymentIntentId', '=', stripePaymentIntentId)
      .executeTakeFirst();
  }

  latestAttempt(registrationId: string): Promise<Payment | undefined> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('registrationId', '=', registrationId)
      .orderBy('attempt', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The attempt that took the money, if any (at most one can: a registration pays once). */
  capturedOf(registrationId: string): Promise<Payment | undefined> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('registrationId', '=', registrationId)
      .where('status', 'in', ['succeeded', 'partially_refunded', 'refunded'])
      .orderBy('attempt', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
  }

  openOf(registrationId: string): Promise<Payment[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('registrationId', '=', registrationId)
      .where('status', 'in', ['pending', 'failed'])
      .execute();
  }

  /** Keyset page of one registration's attempts, oldest first (ids are time-ordered UUIDv7). */
  pageOf(registrationId: string, limit: number, afterId?: string): Promise<Payment[]> {
    let query = this.db
      .selectFrom('payments')
      .selectAll()
      .where('registrationId', '=', registrationId)
      .orderBy('id')
      .limit(limit + 1);
    if (afterId) query = query.where('id', '>', afterId);
    return query.execute();
  }

  /** Sets the intent id only if none is known yet; true when this call set it. */
  async attachIntent(id: string, stripePaymentIntentId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('payments')
      .set({ stripePaymentIntentId, updatedAt: new Date() })
      .where('id', '=', id)
      .where('stripePaymentIntentId', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async update(id: string, patch: Updateable<PaymentsTable>): Promise<void> {
    await this.db
      .updateTable('payments')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async requestCancel(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('payments')
      .set({ cancelRequestedAt: new Date(), updatedAt: new Date() })
      .where('id', 'in', ids)
      .where('cancelRequestedAt', 'is', null)
      .execute();
  }

  /**
   * Open payments whose intent should be canceled at Stripe (their hold is gone); not flagged ones,
   * whose intent Stripe reports succeeded and would refuse to cancel on every run.
   */
  awaitingCancel(limit: number): Promise<Payment[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('cancelRequestedAt', 'is not', null)
      .where('status', 'in', ['pending', 'failed'])
      .where('flag', 'is', null)
      .orderBy('cancelRequestedAt')
      .limit(limit)
      .execute();
  }

  /**
   * Open payments nobody heard about for a while (a declined one may have been paid since, its
   * webhook lost): checked against Stripe, each at most once per interval. A flagged payment waits
   * for a person; asking Stripe again would only find the same mismatch.
   */
  stuck(olderThan: Date, limit: number): Promise<Payment[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('status', 'in', ['pending', 'failed'])
      .where('flag', 'is', null)
      .where('updatedAt', '<', olderThan)
      .where((eb) => eb.or([eb('checkedAt', 'is', null), eb('checkedAt', '<', olderThan)]))
      .orderBy('updatedAt')
      .limit(limit)
      .execute();
  }

  async markChecked(id: string): Promise<void> {
    await this.db.updateTable('payments').set({ checkedAt: new Date() }).where('id', '=', id).execute();
  }
}
