import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureServiceRole, serviceRole, startEmbeddedPostgres } from '@echoplex/db';
import { grantDevMailbox } from '@echoplex/mailer';
import { serviceTable } from './services';

/**
 * `npm run start:distributed`: a local Kafka broker, PostgreSQL (DATABASE_URL or embedded), every
 * service as its own process connecting as a role that owns only its schema, and the gateway
 * proxying to them. Ctrl-C stops everything it started.
 */
const repoRoot = resolve(import.meta.dirname, '../../..');
const env = process.env;
const port = Number(env.PORT ?? 3000);
const children: ChildProcess[] = [];
const services = serviceTable(env);

console.log('starting Kafka (infra/kafka)…');
execFileSync('bash', [resolve(repoRoot, 'infra/kafka/start.sh')], { stdio: 'inherit', env });
const brokers = env.KAFKA_BROKERS ?? '127.0.0.1:9092';

const postgres = env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: resolve(repoRoot, '.data/postgres-distributed'), port: 54321 });
const adminUrl = env.DATABASE_URL ?? (postgres?.url as string);

function start(name: string, entry: string, childEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, entry)], {
    env: { ...env, ...childEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited (${signal ?? code})`);
  });
  children.push(child);
}

async function waitReady(url: string, name: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    const ok = await fetch(`${url}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  for (const child of children.reverse()) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.on('exit', done)))),
  );
  execFileSync('bash', [resolve(repoRoot, 'infra/kafka/stop.sh')], { stdio: 'inherit', env });
  await postgres?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const identity = services.find((service) => service.definition.name === 'identity');
const jwksUrl = `http://127.0.0.1:${identity?.defaultPort ?? 3001}/.well-known/jwks.json`;
const serviceUrls = new Map<(typeof services)[number], string>();
for (const service of services) serviceUrls.set(service, await ensureServiceRole(adminUrl, service.definition.schema));
await grantDevMailbox(
  adminUrl,
  services.flatMap(({ definition }) =>
    definition.devMailbox
      ? [{ role: serviceRole(definition.schema), read: definition.devMailbox === 'read-write' }]
      : [],
  ),
);
const upstreamEnv: Record<string, string> = {};
const serviceEnv = (service: (typeof services)[number], servicePort: number) => ({
  PORT: String(servicePort),
  DATABASE_URL: serviceUrls.get(service),
  KAFKA_BROKERS: brokers,
  JWKS_URL: jwksUrl,
  // Only the gateway, on this machine, may state the client's address (per-IP rate limits).
  TRUST_PROXY: 'loopback',
  // Browsers reach every service through the gateway's origin (the realtime gateway checks it).
  PUBLIC_URL: `http://localhost:${port}`,
});
for (const service of services) {
  const url = `http://127.0.0.1:${service.defaultPort}`;
  upstreamEnv[service.upstreamEnv] = url;
  start(
    service.definition.name,
    `services/${service.definition.name}/src/main.ts`,
    serviceEnv(service, service.defaultPort),
  );
  // Identity first: every other service verifies tokens against its keys.
  if (service === identity) await waitReady(url, 'identity');
}
for (const service of services) await waitReady(`http://127.0.0.1:${service.defaultPort}`, service.definition.name);
// After the main instances, so their migrations are done before a second process of the service starts.
for (const service of services) {
  const split = service.splitOff;
  if (!split) continue;
  const name = `${service.definition.name}-${split.role}`;
  const url = `http://127.0.0.1:${split.defaultPort}`;
  upstreamEnv[split.upstreamEnv] = url;
  start(name, `services/${service.definition.name}/src/main.ts`, {
    ...serviceEnv(service, split.defaultPort),
    ...split.settings,
  });
  await waitReady(url, name);
}
start('api-gateway', 'services/api-gateway/src/distributed-main.ts', { ...upstreamEnv, PORT: String(port) });
await waitReady(`http://127.0.0.1:${port}`, 'api-gateway');
console.log(`\n  EchoPlex (distributed) is running at http://localhost:${port}\n`);
