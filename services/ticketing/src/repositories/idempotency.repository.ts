import type { Kysely, Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  body: unknown;
}

/** Responses remembered per user and `Idempotency-Key`, so a retried request gets the first answer again. */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<TicketingDb>) {}

  async find(userId: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom('idempotencyKeys')
      .select(['requestHash', 'statusCode', 'response'])
      .where('userId', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { requestHash: row.requestHash, statusCode: row.statusCode, body: row.response };
  }

  /**
   * Claims the key for this response; false when another request with the same key got there
   * first. Inside a transaction, a concurrent claim waits for the first one's commit or rollback.
   */
  async claim(
    executor: Kysely<TicketingDb> | Transaction<TicketingDb>,
    userId: string,
    key: string,
    response: StoredResponse,
  ): Promise<boolean> {
    const row = await executor
      .insertInto('idempotencyKeys')
      .values({
        userId,
        key,
        requestHash: response.requestHash,
        statusCode: response.statusCode,
        response: JSON.stringify(response.body),
      })
      .onConflict((oc) => oc.columns(['userId', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('idempotencyKeys').where('createdAt', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
