import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startKafkaForTests } from './kafka';
import { startPostgresForTests } from './postgres';
import './provided';

const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * Starts PostgreSQL and Kafka once for the whole run. Failing to start either fails the run:
 * there is no skipping of integration tests, on CI or anywhere else.
 */
export default async function setup(project: TestProject) {
  const [postgres, kafka] = await Promise.all([startPostgresForTests(repoRoot), startKafkaForTests(repoRoot)]);
  project.provide('databaseUrl', postgres.url);
  project.provide('kafkaBrokers', kafka.brokers);
  return async () => {
    await Promise.allSettled([kafka.stop(), postgres.stop()]);
  };
}
