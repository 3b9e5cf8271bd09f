import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * A private, empty broker for one benchmark phase (infra/kafka, other ports): the shared test broker
 * stays untouched, and no other consumer competes for the machine or replays our synthetic events.
 */
export async function startPrivateKafka(port: number): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_DATA_DIR: resolve(repoRoot, `.data/kafka-bench-analytics-${port}`),
  };
  const script = (name: string) => resolve(repoRoot, 'infra/kafka', name);
  await run('bash', [script('stop.sh')], { env });
  rmSync(env.KAFKA_DATA_DIR, { recursive: true, force: true });
  await run('bash', [script('start.sh')], { env, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  return {
    brokers: [`127.0.0.1:${port}`],
    async stop() {
      await run('bash', [script('stop.sh')], { env });
      rmSync(env.KAFKA_DATA_DIR, { recursive: true, force: true });
    },
  };
}
