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

  /** The sessions (families) this revoked; none when the family had already ended. */
  async revokeFamily(trx: Db, familyId: string, now: Date): Promise<string[]> {
    const rows = await trx
      .updateTable('refreshTokens')
      .set({ revokedAt: now })
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .returning('familyId')
      .execute();
    return distinctFamilies(rows);
  }

  /** Every session of the user, except optionally the one making the request; returns those it ended. */
  async revokeAllOfUser(trx: Db, userId: string, now: Date, exceptFamilyId?: string): Promise<string[]> {
    let query = trx
      .updateTable('refreshTokens')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null);
    if (exceptFamilyId) query = query.where('familyId', '!=', exceptFamilyId);
    return distinctFamilies(await query.returning('familyId').execute());
  }

  /** Sessions revoked since `since`, each with when; access tokens issued before then may still be alive. */
  revokedSince(since: Date): Promise<{ familyId: string; revokedAt: Date }[]> {
    return this.db
      .selectFrom('refreshTokens')
      .select(['familyId', (eb) => eb.fn.max<Date>('revokedAt').as('revokedAt')])
      .where('revokedAt', '>', since)
      .groupBy('familyId')
      .execute();
  }
}

function distinctFamilies(rows: { familyId: string }[]): string[] {
  return [...new Set(rows.map((row) => row.familyId))];
}
