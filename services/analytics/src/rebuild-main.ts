import { createKafkaTransport } from '@echoplex/bus';
import { createDatabase } from '@echoplex/db';
import { commonConfig, parseConfig, registryTopics } from '@echoplex/http';
import { createLogger } from '@echoplex/telemetry';
import { z } from 'zod';
import { rebuildReportingTables } from './rebuild';

// `npm run analytics:rebuild`: replays every topic into fresh reporting tables and swaps them in,
// while the analytics service keeps running. Needs Kafka: the in-process bus keeps no log.
const config = parseConfig(
  commonConfig.extend({
    DATABASE_URL: z.string(),
    KAFKA_BROKERS: z.string(),
    REBUILD_IDLE_MS: z.coerce.number().int().positive().default(3_000),
  }),
  process.env,
);
const logger = createLogger({ service: 'analytics-rebuild', level: config.LOG_LEVEL });
// No statement timeout: the swap marks a whole replay's events done in one statement.
const database = createDatabase<unknown>({
  url: config.DATABASE_URL,
  poolMax: 5,
  statementTimeoutMs: 0,
  applicationName: 'analytics-rebuild',
});
const transport = await createKafkaTransport({
  brokers: config.KAFKA_BROKERS.split(','),
  clientId: 'analytics-rebuild',
  topics: registryTopics,
  log: logger.child({ component: 'kafka' }),
});
try {
  const result = await rebuildReportingTables({
    kysely: database.kysely,
    transport,
    idleMs: config.REBUILD_IDLE_MS,
    log: logger,
  });
  logger.info(result, 'analytics reporting tables rebuilt');
} finally {
  await transport.close();
  await database.close();
}
