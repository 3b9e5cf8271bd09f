import type { Kysely, Selectable } from '@echoplex/db';
import type { IdempotencyKeysTable, PaymentsDb } from '../db/schema';

export type IdempotencyRecord = Selectable<IdempotencyKeysTable>;

export class IdempotencyKeyRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  /** Claims the key for a first request; false when it was already used. */
  async reserve(scope: string, key: string, requestHash: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('idempotencyKeys')
      .values({ scope, key, requestHash, statusCode: null, response: null })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.db
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  async complete(scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db
      .updateTable('idempotencyKeys')
      .set({ statusCode, response: JSON.stringify(response) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotencyKeys').where('scope', '=', scope).where('key', '=', key).execute();
  }
}
