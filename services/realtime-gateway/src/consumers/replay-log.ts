import type { IncomingMessage } from '@echoplex/bus';
import { topics } from '@echoplex/contracts';
import type { Insertable, Kysely } from 'kysely';
import type { RealtimeDb, ReplayLogTable } from '../db/schema';

const pageSize = 5_000;
const flushEveryMs = 100;
/** Past this many unwritten rows, recording waits for the database instead of growing memory. */
const maxPending = 2_000;

/**
 * Kafka keeps the history the gateway rebuilds its model from; the in-process bus of embedded mode
 * does not. There, and only there (one process, so nothing is shared), the gateway records what it
 * consumed and replays it on the next start. Compacted topics keep the latest message per key.
 *
 * Rows are written behind, in batches every 100 ms: the in-process bus hands over one message at a
 * time, and waiting for an insert per message would put the database on the push path. A crash can
 * lose the last batch; those ticket types and events are current again with their next change.
 */
export class ReplayLog {
  private pending: Insertable<ReplayLogTable>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<RealtimeDb>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async record(message: IncomingMessage): Promise<void> {
    const compacted = (topics[message.topic as keyof typeof topics] as { compacted?: boolean } | undefined)?.compacted;
    this.pending.push({
      topic: message.topic,
      key: message.key,
      headers: JSON.stringify(message.headers),
      value: message.value,
      compactionKey: compacted ? `${message.topic}/${message.key}` : null,
    });
    if (this.pending.length >= maxPending) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), flushEveryMs);
  }

  /** Writes everything recorded so far; one batch at a time, in order. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch)).catch(this.onError);
    return this.writing;
  }

  async *history(): AsyncGenerator<IncomingMessage> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('replayLog')
        .select(['seq', 'topic', 'key', 'headers', 'value'])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        yield {
          topic: row.topic,
          key: row.key,
          headers: row.headers,
          value: row.value,
          partition: 0,
          offset: String(row.seq),
        };
      }
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  private async write(batch: Insertable<ReplayLogTable>[]): Promise<void> {
    // One statement may not update a row twice: within a batch only a key's latest message counts.
    const latest = new Map<string, Insertable<ReplayLogTable>>();
    for (const row of batch) if (row.compactionKey) latest.set(row.compactionKey, row);
    const rows = batch.filter((row) => !row.compactionKey || latest.get(row.compactionKey) === row);
    if (rows.length === 0) return;
    await this.db
      .insertInto('replayLog')
      .values(rows)
      .onConflict((oc) =>
        oc.column('compactionKey').doUpdateSet((eb) => ({
          headers: eb.ref('excluded.headers'),
          value: eb.ref('excluded.value'),
        })),
      )
      .execute();
  }
}
