import type { Insertable, Kysely, Selectable } from '@echoplex/db';
import type { IdentityDb, RefreshTokensTable, Role } from '../db/schema';

type Db = Kysely<IdentityDb>;
export type RefreshTokenRow = Selectable<RefreshTokensTable> & { role: Role };

export class RefreshTokenRepository {
  constructor(private readonly db: Db) {}

  /** The token with its owner's current role, which the next access token carries. */
  findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return this.db
      .selectFrom('refreshTokens')
      .innerJoin('users', 'users.id', 'refreshTokens.userId')
      .selectAll('refreshTokens')
      .select('users.role')
      .where('refreshTokens.tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  async insert(trx: Db, token: Insertable<RefreshTokensTable>): Promise<void> {
    await trx.insertInto('refreshTokens').values(token).execute();
  }

  /**
   * Marks the token as exchanged, only if it is still live. The conditional update is the race
   * arbiter: of two concurrent presentations exactly one claims it, the other is reuse.
   */
  async claim(trx: Db, id: string, now: Date): Promise<boolean> {
    const result = await trx
      .updateTable('refreshTokens')
      .set({ usedAt: now })
      .where('id', '=', id)
      .where('usedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('refreshTokens')
      .set({ revokedAt: now })
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .execute();
  }

  /** Every session of the user, except optionally the one making the request. */
  async revokeAllOfUser(trx: Db, userId: string, now: Date, exceptFamilyId?: string): Promise<void> {
    let query = trx
      .updateTable('refreshTokens')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null);
    if (exceptFamilyId) query = query.where('familyId', '!=', exceptFamilyId);
    await query.execute();
  }
}
