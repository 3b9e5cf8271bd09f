import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KafkaForTests {
  brokers: string[];
  stop(): Promise<void>;
}

/**
 * A real Kafka broker for the test run: `KAFKA_BROKERS` if set, else a fresh single-node KRaft
 * broker from `infra/kafka/` on ports of its own, so a developer's broker on 9092 is untouched.
 */
export async function startKafkaForTests(repoRoot: string): Promise<KafkaForTests> {
  if (process.env.KAFKA_BROKERS) {
    return { brokers: process.env.KAFKA_BROKERS.split(','), stop: async () => {} };
  }
  const env = {
    ...process.env,
    KAFKA_PORT: '19092',
    KAFKA_CONTROLLER_PORT: '19093',
    KAFKA_DATA_DIR: resolve(repoRoot, '.data/kafka-test'),
  };
  const script = (name: string) => resolve(repoRoot, 'infra/kafka', name);
  await run('bash', [script('stop.sh')], { env });
  // A fresh log dir per run: every test starts from empty topics.
  rmSync(env.KAFKA_DATA_DIR, { recursive: true, force: true });
  await run('bash', [script('start.sh')], { env, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  return {
    brokers: ['127.0.0.1:19092'],
    async stop() {
      await run('bash', [script('stop.sh')], { env });
    },
  };
}
