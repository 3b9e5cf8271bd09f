import { toKafkaHeaders, topics } from '@echoplex/contracts';
import { type Listener, listen } from '@echoplex/db';
import { type Kysely, sql } from 'kysely';
import { notifyChannel } from './outbox';
import type { BusTables } from './tables';
import type { OutgoingMessage, Transport } from './transport';

export interface RelayOptions {
  kysely: Kysely<any>;
  schema: string;
  databaseUrl: string;
  transport: Transport;
  batchSize?: number;
  /** A safety net for a lost notification; the relay normally wakes on NOTIFY at once. */
  sweepIntervalMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onPublished?(count: number): void;
}

export interface OutboxRelay {
  /** Publishes everything committed so far; resolves when the outbox is empty or publishing failed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const maxBackoffMs = 5_000;

/**
 * Publishes committed outbox rows in commit order. Several instances may run: a transaction-scoped
 * advisory lock lets one publish at a time (keeping per-key order) while claimed rows are locked
 * `FOR UPDATE SKIP LOCKED`, and rows are marked published only after the broker acknowledged them.
 * A crash between publish and mark republishes the batch: consumers' inboxes make that harmless.
 */
export async function startOutboxRelay(options: RelayOptions): Promise<OutboxRelay> {
  const db = options.kysely as Kysely<BusTables>;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let backoff: NodeJS.Timeout | undefined;

  const publishBatch = async (): Promise<'empty' | 'more' | 'busy'> =>
    db.transaction().execute(async (trx) => {
      const lockKey = `outbox:${options.schema}`;
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(hashtext(${lockKey})) as locked`.execute(trx);
      if (!rows[0]?.locked) return 'busy';
      const batch = await trx
        .selectFrom('outbox')
        .select(['seq', 'id', 'aggregatetype', 'aggregateid', 'type', 'payload', 'headers'])
        .where('publishedAt', 'is', null)
        .where('parkedAt', 'is', null)
        .orderBy('seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (batch.length === 0) return 'empty';

      const unroutable = batch.filter((row) => !(row.aggregatetype in topics));
      if (unroutable.length > 0) {
        await trx
          .updateTable('outbox')
          .set({ parkedAt: new Date(), lastError: 'unknown topic' })
          .where(
            'seq',
            'in',
            unroutable.map((row) => row.seq),
          )
          .execute();
      }
      const messages: OutgoingMessage[] = batch
        .filter((row) => row.aggregatetype in topics)
        .map((row) => {
          const headers = row.headers;
          return {
            topic: row.aggregatetype,
            key: row.aggregateid,
            value: JSON.stringify(row.payload),
            headers: toKafkaHeaders({
              id: row.id,
              source: headers.ce_source ?? options.schema,
              type: row.type,
              time: headers.ce_time ?? new Date().toISOString(),
              subject: headers.ce_subject ?? row.aggregateid,
              data: row.payload,
              traceparent: headers.traceparent,
            }),
          };
        });
      await options.transport.publish(messages);
      await trx
        .updateTable('outbox')
        .set({ publishedAt: new Date() })
        .where(
          'seq',
          'in',
          batch.map((row) => row.seq),
        )
        .where('parkedAt', 'is', null)
        .execute();
      options.onPublished?.(messages.length);
      return batch.length === batchSize ? 'more' : 'empty';
    });

  const drain = async () => {
    do {
      again = false;
      let outcome: 'empty' | 'more' | 'busy' = 'more';
      try {
        while (!stopped && outcome === 'more') outcome = await publishBatch();
        failures = 0;
      } catch (error) {
        failures++;
        options.log?.warn({ err: error, failures }, 'outbox publish failed, retrying');
        await recordFailure(error);
        scheduleRetry();
        return;
      }
      // Another instance holds the lock; it publishes, we check again later in case it dies.
      if (outcome === 'busy') scheduleRetry(500);
    } while (again && !stopped);
  };

  const recordFailure = async (error: unknown) => {
    await db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        lastError: String((error as Error)?.message ?? error).slice(0, 500),
      }))
      .where('seq', '=', (eb) =>
        eb
          .selectFrom('outbox')
          .select((inner) => inner.fn.min('seq').as('seq'))
          .where('publishedAt', 'is', null)
          .where('parkedAt', 'is', null),
      )
      .execute()
      .catch(() => {});
  };

  const scheduleRetry = (delay = Math.min(maxBackoffMs, 100 * 2 ** failures)) => {
    if (stopped || backoff) return;
    backoff = setTimeout(() => {
      backoff = undefined;
      wake();
    }, delay);
  };

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => {
      running = undefined;
      if (again) wake();
    });
  };

  const listener: Listener = await listen(options.databaseUrl, notifyChannel(options.schema), wake, wake);
  const sweep = setInterval(wake, options.sweepIntervalMs ?? 5_000);
  wake();

  return {
    async flush() {
      wake();
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (backoff) clearTimeout(backoff);
      await listener.close();
      await running;
    },
  };
}
