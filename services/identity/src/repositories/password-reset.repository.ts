import type { Insertable, Kysely, Selectable } from '@echoplex/db';
import type { IdentityDb, PasswordResetTokensTable } from '../db/schema';

type Db = Kysely<IdentityDb>;
export type PasswordResetRow = Selectable<PasswordResetTokensTable>;

export class PasswordResetRepository {
  constructor(private readonly db: Db) {}

  findByHash(tokenHash: string): Promise<PasswordResetRow | undefined> {
    return this.db.selectFrom('passwordResetTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
  }

  async insert(token: Insertable<PasswordResetTokensTable>): Promise<void> {
    await this.db.insertInto('passwordResetTokens').values(token).execute();
  }

  /** Single use: only one request can take an unused, unexpired token. */
  async claim(trx: Db, id: string, now: Date): Promise<boolean> {
    const result = await trx
      .updateTable('passwordResetTokens')
      .set({ usedAt: now })
      .where('id', '=', id)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** After a reset, older links in the user's inbox stop working too. */
  async closeAllOfUser(trx: Db, userId: string, now: Date): Promise<void> {
    await trx
      .updateTable('passwordResetTokens')
      .set({ usedAt: now })
      .where('userId', '=', userId)
      .where('usedAt', 'is', null)
      .execute();
  }
}
