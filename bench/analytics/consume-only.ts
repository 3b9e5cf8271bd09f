/**
 * Only the consume-rate measurement of run.ts (section 1), on its own private broker, for checking a
 * consumer change without the summary and ingest phases:
 *
 *   npx tsx bench/analytics/consume-only.ts [members...]
 */
import { loadavg } from 'node:os';
import { createDatabase } from '@echoplex/db';
import { Kafka } from 'kafkajs';
import pg from 'pg';
import { measureConsumeRate } from './consume';
import { startPrivateKafka } from './kafka';

const memberCounts = process.argv.slice(2).map(Number).filter(Boolean);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = 'echoplex_bench_analytics_consume';
// Not run.ts's port, so both can run; below the ephemeral port range.
const kafkaPort = 29492;

/** A fresh broker answers before its group coordinator is up (NOT_COORDINATOR_FOR_GROUP on subscribe). */
async function groupCoordinatorReady(brokers: string[]): Promise<void> {
  const kafkaAdmin = new Kafka({ brokers, clientId: 'bench-analytics-warmup', logLevel: 0 }).admin();
  await kafkaAdmin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await kafkaAdmin.fetchOffsets({ groupId: 'bench-warmup' });
        return;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  } finally {
    await kafkaAdmin.disconnect();
  }
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${databaseName} with (force)`);
await admin.query(`create database ${databaseName}`);
await admin.end();
const database = createDatabase<unknown>({
  url: Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString(),
  poolMax: 12,
  statementTimeoutMs: 0,
});
const kafka = await startPrivateKafka(kafkaPort);
await groupCoordinatorReady(kafka.brokers);
try {
  const loadBefore = loadavg()[0];
  const results = await measureConsumeRate(database, kafka.brokers, memberCounts.length ? memberCounts : [1, 3], {
    events: 50,
    registrationsPerEvent: 100,
  });
  console.log(JSON.stringify({ at: new Date().toISOString(), loadBefore, loadAfter: loadavg()[0], results }));
} finally {
  await kafka.stop();
  await database.close();
}
