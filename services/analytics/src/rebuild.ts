import { randomBytes } from 'node:crypto';
import type { Transport } from '@echoplex/bus';
import { type Kysely, migrateSchema, sql, type Transaction } from '@echoplex/db';
import { reportingGroup, startReportingConsumers } from './consumers/reporting-consumers';
import { migrations } from './db/migrations';

export interface RebuildOptions {
  /** Not scoped to a schema: the rebuild creates, swaps and drops schemas. */
  kysely: Kysely<any>;
  transport: Transport;
  /** The live schema whose reporting tables are replaced. */
  schema?: string;
  /** The live consumer group: events the rebuild applied are marked done for it too. */
  liveGroup?: string;
  members?: number;
  /** The replay counts as caught up after this long without a message. */
  idleMs?: number;
  /** How many idle periods to wait for the replay to hold everything the live consumer applied. */
  maxAttempts?: number;
  log?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export interface RebuildResult {
  shadowSchema: string;
  group: string;
  eventsApplied: number;
  tables: string[];
}

class LiveConsumerAhead extends Error {}

const busTables = ['inbox', 'outbox', 'migrations', 'migrations_lock'];

/**
 * Rebuilds every reporting table from the topics' full history (retention is infinite, see the
 * Kafka transport), so a new or fixed report is backfilled:
 *
 * 1. A shadow schema gets the current migrations; a fresh consumer group replays every topic from
 *    the beginning into it, through the same handlers and its own inbox, until it has been idle for
 *    `idleMs` and holds every event of the live inbox (everything the live consumer ever applied).
 * 2. In one transaction: lock the live reporting tables (the live consumer and readers wait), check
 *    that what the live consumer applied since that check is in the shadow too (else replay further),
 *    mark every event the shadow applied as done in the live inbox (so the live consumer, resuming,
 *    skips what the shadow already counted), and move the shadow tables in, the old ones out.
 *    Readers see the old figures or the new ones, never a mix.
 *
 * Only works on Kafka: the in-process bus keeps no log to replay.
 */
export async function rebuildReportingTables(options: RebuildOptions): Promise<RebuildResult> {
  if (options.transport.kind !== 'kafka') {
    throw new Error('the analytics rebuild replays Kafka topics; the in-process bus keeps no log to replay');
  }
  const schema = options.schema ?? 'analytics';
  const liveGroup = options.liveGroup ?? reportingGroup;
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const shadow = `${schema}_rebuild_${stamp}`;
  const retired = `${schema}_retired_${stamp}`;
  const group = `${liveGroup}.rebuild-${stamp}`;
  const idleMs = options.idleMs ?? 3_000;
  const log = options.log;

  await migrateSchema(options.kysely, schema, migrations);
  await migrateSchema(options.kysely, shadow, migrations);
  const replayKysely = options.kysely.withSchema(shadow);
  let eventsApplied = 0;
  let lastActivity = Date.now();
  const startReplay = () =>
    startReportingConsumers({
      transport: options.transport,
      kysely: replayKysely,
      schema: shadow,
      group,
      members: options.members ?? 3,
      log,
      onProcessed: (_event, outcome) => {
        lastActivity = Date.now();
        if (outcome === 'handled') eventsApplied++;
      },
    });
  const waitUntilIdle = async () => {
    lastActivity = Date.now();
    while (Date.now() - lastActivity < idleMs) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  try {
    let replay = await startReplay();
    for (let attempt = 1; ; attempt++) {
      if (attempt > (options.maxAttempts ?? 10)) throw new Error(`replay did not catch up after ${attempt - 1} checks`);
      await waitUntilIdle();
      // Idleness alone could be a slow group join: the replay has caught up only when it holds every
      // event the live consumer ever applied (the live inbox is that list).
      const { rows } = await sql<{ now: Date }>`select now() as now`.execute(options.kysely);
      const checkedAt = (rows[0] as { now: Date }).now;
      const missing = await notReplayed(options.kysely, { schema, shadow, liveGroup, group });
      if (missing > 0) {
        log?.info({ shadow, eventsApplied, missing }, 'replay still behind the live consumer');
        continue;
      }
      await replay.stop();
      log?.info({ shadow, eventsApplied, attempt }, 'replay caught up, swapping');
      try {
        const tables = await options.kysely
          .transaction()
          .execute((trx) => swapIn(trx, { schema, shadow, retired, liveGroup, group, checkedAt }));
        await sql`drop schema ${sql.id(retired)} cascade`.execute(options.kysely);
        await sql`drop schema ${sql.id(shadow)} cascade`.execute(options.kysely);
        return { shadowSchema: shadow, group, eventsApplied, tables };
      } catch (error) {
        if (!(error instanceof LiveConsumerAhead || isLockConflict(error))) throw error;
        log?.warn({ err: error, attempt }, 'swap postponed, replaying further');
        replay = await startReplay();
      }
    }
  } catch (error) {
    await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(options.kysely);
    throw error;
  }
}

/** Events in the live inbox (optionally: since `since`) that the replay has not applied. */
async function notReplayed(
  db: Kysely<any> | Transaction<any>,
  names: { schema: string; shadow: string; liveGroup: string; group: string },
  since?: Date,
): Promise<number> {
  const { rows } = await sql<{ missing: number }>`
    select count(*)::int as missing from ${sql.id(names.schema, 'inbox')} live
    where live.consumer = ${names.liveGroup}
      ${since ? sql`and live.processed_at >= ${since}::timestamptz - interval '1 minute'` : sql``}
      and not exists (
        select 1 from ${sql.id(names.shadow, 'inbox')} replay
        where replay.consumer = ${names.group} and replay.event_id = live.event_id
      )`.execute(db);
  return rows[0]?.missing ?? 0;
}

async function swapIn(
  trx: Transaction<any>,
  names: { schema: string; shadow: string; retired: string; liveGroup: string; group: string; checkedAt: Date },
): Promise<string[]> {
  const { schema, shadow, retired, liveGroup, group } = names;
  await sql`set local lock_timeout = '30s'`.execute(trx);
  const tablesOf = async (name: string) => {
    const { rows } = await sql<{ tableName: string }>`
      select table_name from information_schema.tables
      where table_schema = ${name} and table_type = 'BASE TABLE'`.execute(trx);
    return rows.map((row) => row.tableName).filter((table) => !busTables.includes(table));
  };
  const tables = await tablesOf(shadow);
  const live = await tablesOf(schema);
  // All at once, before anything moves: a live handler either finished or waits and then sees only new tables.
  await sql`lock table ${sql.join(live.map((table) => sql.id(schema, table)))} in access exclusive mode`.execute(trx);

  // What the live consumer applied between the last check and the lock (with a margin for
  // transactions in flight then) must be in the shadow too, or the new tables would miss it.
  const missing = await notReplayed(trx, names, names.checkedAt);
  if (missing > 0) throw new LiveConsumerAhead(`${missing} live events not replayed yet`);

  await sql`
    insert into ${sql.id(schema, 'inbox')} (consumer, event_id)
    select ${liveGroup}, event_id from ${sql.id(shadow, 'inbox')} where consumer = ${group}
    on conflict do nothing`.execute(trx);
  await sql`create schema ${sql.id(retired)}`.execute(trx);
  for (const table of live) await sql`alter table ${sql.id(schema, table)} set schema ${sql.id(retired)}`.execute(trx);
  for (const table of tables) await sql`alter table ${sql.id(shadow, table)} set schema ${sql.id(schema)}`.execute(trx);
  return tables;
}

function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '40P01' || code === '55P03';
}
