import { type Kysely, sql } from '@echoplex/db';
import type { IdentityDb } from '../db/schema';

/** Every identity instance LISTENs here and reloads its keys at once after a rotation. */
export const signingKeysChannel = 'identity_signing_keys';

export class SigningKeyRepository {
  constructor(private readonly db: Kysely<IdentityDb>) {}

  /** Newest first: the first active key signs, every listed key still verifies. */
  listVerifying() {
    return this.db
      .selectFrom('signingKeys')
      .selectAll()
      .where('retiredAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .execute();
  }

  async insert(key: { kid: string; algorithm: string; publicJwk: object; privateJwk: object; createdAt: Date }) {
    await this.db
      .insertInto('signingKeys')
      .values({ ...key, publicJwk: JSON.stringify(key.publicJwk), privateJwk: JSON.stringify(key.privateJwk) })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }

  async retire(kids: string[], now: Date) {
    if (kids.length === 0) return;
    await this.db.updateTable('signingKeys').set({ retiredAt: now }).where('kid', 'in', kids).execute();
  }

  async announceChange() {
    await sql`select pg_notify(${signingKeysChannel}, '')`.execute(this.db);
  }
}
