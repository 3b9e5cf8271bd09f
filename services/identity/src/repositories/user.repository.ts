import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from '@echoplex/db';
import type { IdentityDb, UsersTable } from '../db/schema';

export type UserRow = Selectable<UsersTable>;
type Db = Kysely<IdentityDb>;

export class UserRepository {
  constructor(private readonly db: Db) {}

  /** Emails compare case-insensitively; the lookup uses the `lower(email)` unique index. */
  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', sql<string>`lower(${email})`)
      .executeTakeFirst();
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(trx: Db, user: Insertable<UsersTable>): Promise<UserRow> {
    return trx.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  update(trx: Db, id: string, changes: Updateable<UsersTable>, now: Date): Promise<UserRow | undefined> {
    return trx
      .updateTable('users')
      .set({ ...changes, updatedAt: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Replaces the hash only if it is still the one that was verified, so a concurrent change wins. */
  async replacePasswordHash(id: string, verifiedHash: string, newHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ passwordHash: newHash })
      .where('id', '=', id)
      .where('passwordHash', '=', verifiedHash)
      .execute();
  }
}
