import type { Kysely, Selectable } from '@echoplex/db';
import type { PaymentsDb, WebhookEventsTable } from '../db/schema';

export type WebhookEvent = Selectable<WebhookEventsTable>;

export class WebhookEventRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  /** Stores a verified event once: Stripe's event id is the inbox key. True when it was new. */
  async record(event: { id: string; type: string }, payload: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('webhookEvents')
      .values({ id: event.id, type: event.type, payload })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  due(now: Date, limit: number): Promise<WebhookEvent[]> {
    return this.db
      .selectFrom('webhookEvents')
      .selectAll()
      .where('processedAt', 'is', null)
      .where('nextAttemptAt', '<=', now)
      .orderBy('receivedAt')
      .limit(limit)
      .execute();
  }

  /** Claims an event for processing; undefined when another worker has it or it is done. */
  claim(id: string): Promise<WebhookEvent | undefined> {
    return this.db
      .selectFrom('webhookEvents')
      .selectAll()
      .where('id', '=', id)
      .where('processedAt', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  }

  async markProcessed(id: string): Promise<void> {
    await this.db
      .updateTable('webhookEvents')
      .set({ processedAt: new Date(), lastError: null })
      .where('id', '=', id)
      .execute();
  }

  async recordFailure(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db
      .updateTable('webhookEvents')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lastError: error.slice(0, 1000), nextAttemptAt }))
      .where('id', '=', id)
      .execute();
  }
}
