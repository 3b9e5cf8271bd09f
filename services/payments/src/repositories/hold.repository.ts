import type { Insertable, Kysely, Selectable } from '@echoplex/db';
import type { HoldsTable, PaymentsDb } from '../db/schema';
import type { HoldStatus } from '../domain/hold-status';

export type Hold = Selectable<HoldsTable>;

export class HoldRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  find(registrationId: string): Promise<Hold | undefined> {
    return this.db.selectFrom('holds').selectAll().where('registrationId', '=', registrationId).executeTakeFirst();
  }

  /** Serialises payment attempts of one registration. */
  lock(registrationId: string): Promise<Hold | undefined> {
    return this.db
      .selectFrom('holds')
      .selectAll()
      .where('registrationId', '=', registrationId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** A hold is learned once; a later fact about the same registration never resets it to pending. */
  async insertHeld(hold: Insertable<HoldsTable>): Promise<void> {
    await this.db
      .insertInto('holds')
      .values(hold)
      .onConflict((oc) => oc.column('registrationId').doNothing())
      .execute();
  }

  /** Records a later state; the facts carried by every registration event create the row if `held` never arrived. */
  async recordStatus(facts: Omit<Insertable<HoldsTable>, 'status'>, status: HoldStatus): Promise<void> {
    await this.db
      .insertInto('holds')
      .values({ ...facts, status })
      .onConflict((oc) => oc.column('registrationId').doUpdateSet({ status, updatedAt: new Date() }))
      .execute();
  }
}
