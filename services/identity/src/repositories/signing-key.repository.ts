import type { Kysely } from '@echoplex/db';
import type { IdentityDb } from '../db/schema';

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

  async insert(key: { kid: string; algorithm: string; publicJwk: object; privateJwk: object }) {
    await this.db
      .insertInto('signingKeys')
      .values({ ...key, publicJwk: JSON.stringify(key.publicJwk), privateJwk: JSON.stringify(key.privateJwk) })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }
}
