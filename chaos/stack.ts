import { type ChildProcess, execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, type Database, ensureServiceRole, serviceRole, startEmbeddedPostgres } from '@echoplex/db';
import { grantDevMailbox } from '@echoplex/mailer';
import { type StripeFake, startStripeFake } from '@echoplex/stripe-fake';
import { createTestDatabase, freePort, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { inject } from 'vitest';
import { serviceTable } from '../services/api-gateway/src/services';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '..');

// A stack still starting when its test gives up (a hook timeout) is not closed by the test: whatever
// it started is ended when the test process exits.
const running = { children: new Set<ChildProcess>(), brokers: new Set<NodeJS.ProcessEnv>() };
process.once('exit', () => {
  for (const child of running.children) child.kill('SIGKILL');
  for (const env of running.brokers) execFileSync('bash', [resolve(repoRoot, 'infra/kafka/stop.sh')], { env });
});

/** A fresh path under `.data/` (not created: the embedded PostgreSQL creates its own, for its OS user). */
function scratchPath(prefix: string): string {
  mkdirSync(resolve(repoRoot, '.data'), { recursive: true });
  return resolve(repoRoot, '.data', `${prefix}-${randomBytes(4).toString('hex')}`);
}

export type ServiceName = 'identity' | 'events' | 'ticketing' | 'payments' | 'analytics';
const serviceNames: ServiceName[] = ['identity', 'events', 'ticketing', 'payments', 'analytics'];

export interface ServiceProcess {
  name: ServiceName | 'api-gateway';
  url: string;
  current: ServerProcess;
  /** What every run of it (across restarts) wrote to stdout and stderr. */
  output(): string;
  /** `kill -9`, then waits until the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it is ready. */
  start(): Promise<void>;
}

export interface ChaosStack {
  /** The gateway: the one origin clients use. */
  baseUrl: string;
  /** Admin access to the stack's database, for the invariant checks (every service schema). */
  database: Database<unknown>;
  stripe: StripeFake;
  services: Record<ServiceName | 'api-gateway', ServiceProcess>;
  kafka: { brokers: string; restart(): Promise<void> };
  /** Only with `postgres: 'embedded'`: a server of the stack's own that a scenario may stop and start. */
  postgres?: { stop(): Promise<void>; start(): Promise<void> };
  close(): Promise<void>;
}

export interface ChaosStackOptions {
  /** `shared`: a fresh database on the run's PostgreSQL; `embedded`: a PostgreSQL server of its own. */
  postgres?: 'shared' | 'embedded';
  holdMinutes?: number;
}

/**
 * The distributed topology as `npm run start:distributed` runs it, for one scenario: its own Kafka
 * broker (own ports and data dir, so restarting it disturbs nobody), its own database, every service as
 * its own process with its own database role, the gateway proxying to them, and the in-repo fake Stripe
 * in this process, so it outlives a payments process that is killed and keeps retrying its webhooks.
 */
export async function startChaosStack(options: ChaosStackOptions = {}): Promise<ChaosStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const kafka = await startOwnKafka();
    cleanups.push(kafka.stop);
    const postgres = await startOwnDatabase(options.postgres ?? 'shared');
    cleanups.push(postgres.drop);
    const database = createDatabase({ url: postgres.url, poolMax: 4 });
    cleanups.push(() => database.close());

    const ports = Object.fromEntries(
      await Promise.all([...serviceNames, 'api-gateway'].map(async (name) => [name, await freePort()])),
    ) as Record<ServiceName | 'api-gateway', number>;
    const urlOf = (name: ServiceName | 'api-gateway') => `http://127.0.0.1:${ports[name]}`;
    const stripe = await startStripeFake({
      webhookUrl: `${urlOf('api-gateway')}/api/payments/webhook`,
      delivery: { initialRetryDelayMs: 200, maxRetryDelayMs: 2_000, maxAttempts: 30 },
    });
    cleanups.push(() => stripe.close());

    const schemas = Object.fromEntries(
      serviceTable(process.env).map((entry) => [entry.definition.name, entry.definition.schema]),
    );
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      RATE_LIMITS: 'off',
      KAFKA_BROKERS: kafka.brokers,
      JWKS_URL: `${urlOf('identity')}/.well-known/jwks.json`,
      OTEL_SDK_DISABLED: 'true',
    };
    const uploads = scratchPath('chaos-uploads');
    cleanups.push(async () => rmSync(uploads, { recursive: true, force: true }));
    const envOf: Record<ServiceName, Record<string, string>> = {
      identity: {},
      events: { UPLOADS_DIR: uploads },
      ticketing: { TICKETING_HOLD_MINUTES: String(options.holdMinutes ?? 10) },
      payments: {
        STRIPE_SECRET_KEY: stripe.connection.secretKey,
        STRIPE_PUBLISHABLE_KEY: stripe.connection.publishableKey,
        STRIPE_WEBHOOK_SECRET: stripe.connection.webhookSecret,
        STRIPE_API_URL: stripe.url,
        PAYMENTS_JOBS_INTERVAL_MS: '1000',
        PAYMENTS_STUCK_AFTER_MS: '5000',
      },
      analytics: {},
    };
    const databaseUrls = {} as Record<ServiceName, string>;
    for (const name of serviceNames)
      databaseUrls[name] = await ensureServiceRole(postgres.url, schemas[name] as string);
    // As `npm run start:distributed` does: the dev mailbox schema is made and granted by the admin.
    await grantDevMailbox(
      postgres.url,
      serviceTable(process.env).flatMap(({ definition }) =>
        definition.devMailbox && definition.name in databaseUrls
          ? [{ role: serviceRole(definition.schema), read: definition.devMailbox === 'read-write' }]
          : [],
      ),
    );
    const services = {} as ChaosStack['services'];
    for (const name of serviceNames) {
      const env = { ...common, ...envOf[name], DATABASE_URL: databaseUrls[name] };
      services[name] = await startService(name, `services/${name}/src/main.ts`, env, ports[name]);
      cleanups.push(() => services[name].kill());
    }
    const upstreams = Object.fromEntries(
      serviceTable(process.env)
        .filter((entry) => entry.definition.name in ports)
        .map((entry) => [entry.upstreamEnv, urlOf(entry.definition.name as ServiceName)]),
    );
    cleanups.push(async () => saveLogs(services));
    services['api-gateway'] = await startService(
      'api-gateway',
      'services/api-gateway/src/distributed-main.ts',
      { ...common, ...upstreams, WEB_DIST: '/nonexistent' },
      ports['api-gateway'],
    );
    cleanups.push(() => services['api-gateway'].kill());
    return {
      baseUrl: urlOf('api-gateway'),
      database,
      stripe,
      services,
      kafka,
      postgres: postgres.server,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Every process's output, to read after a run: `.data/chaos-results/logs/<service>.log`. */
function saveLogs(services: Partial<ChaosStack['services']>) {
  const dir = resolve(repoRoot, '.data/chaos-results/logs');
  mkdirSync(dir, { recursive: true });
  for (const service of Object.values(services)) {
    writeFileSync(resolve(dir, `${service.name}.log`), service.output());
  }
}

async function startService(
  name: ServiceProcess['name'],
  entry: string,
  env: Record<string, string>,
  port: number,
): Promise<ServiceProcess> {
  const launch = async () => {
    const started = await startServerProcess(resolve(repoRoot, entry), env, { port });
    running.children.add(started.child);
    started.child.once('exit', () => running.children.delete(started.child));
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (!ready) {
      started.child.kill('SIGKILL');
      throw new Error(`${name} did not become ready:\n${started.output().slice(-4_000)}`);
    }
    return started;
  };
  const earlier: string[] = [];
  const service: ServiceProcess = {
    name,
    url: `http://127.0.0.1:${port}`,
    current: await launch(),
    output: () => [...earlier, service.current.output()].join('\n--- restarted ---\n'),
    async kill() {
      const { child, exited } = service.current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async start() {
      earlier.push(service.current.output());
      service.current = await launch();
    },
  };
  return service;
}

async function startOwnKafka() {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dataDir = scratchPath('chaos-kafka');
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DATA_DIR: dataDir,
  };
  const script = (name: string) => resolve(repoRoot, 'infra/kafka', name);
  const start = () => run('bash', [script('start.sh')], { env, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  const stop = () => run('bash', [script('stop.sh')], { env, timeout: 120_000 });
  running.brokers.add(env);
  await start();
  return {
    brokers: `127.0.0.1:${port}`,
    async restart() {
      await stop();
      await start();
    },
    async stop() {
      await stop();
      running.brokers.delete(env);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startOwnDatabase(kind: 'shared' | 'embedded') {
  if (kind === 'shared') {
    const database = await createTestDatabase(inject('databaseUrl'), 'chaos');
    return { url: database.url, drop: database.drop, server: undefined };
  }
  const port = await freePort();
  const dataDir = scratchPath('chaos-pg');
  let server = await startEmbeddedPostgres({ dataDir, port });
  return {
    url: server.url,
    server: {
      stop: () => server.stop(),
      async start() {
        server = await startEmbeddedPostgres({ dataDir, port });
      },
    },
    async drop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
