/**
 * Free-ticket registrations on one hot ticket type: 64 concurrent clients, every request a different
 * user, against the ticketing service hosted alone (serve.ts); an oversell check after the run; the
 * availability endpoint next to a Fastify hello-world; and same-run pgbench baselines at the same
 * concurrency on the same PostgreSQL: the equivalent SQL (pgbench/single-statement.sql, the statement
 * the service runs) and the classic multi-statement transaction (pgbench/conditional-update.sql).
 *
 *   npx tsx bench/purchase/run.ts [seconds=20] [connections=64] [poolMax=10]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createDatabase, sql } from '@echoplex/db';
import { createTestAuth, createTestDatabase } from '@echoplex/testkit';
import autocannon from 'autocannon';

const seconds = Number(process.argv[2] ?? 20);
const connections = Number(process.argv[3] ?? 64);
const poolMax = process.argv[4] ?? '10';
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const here = import.meta.dirname;

function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ready(child);
    });
    child.on('exit', (code) => fail(new Error(`${script} exited with ${code}`)));
  });
}

function summarize(name: string, result: autocannon.Result) {
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const database = await createTestDatabase(adminUrl, 'bench_purchase');
const auth = await createTestAuth();
const organizer = await auth.user('organizer');
const eventId = randomUUID();
const servicePort = 39_400 + Math.floor(Math.random() * 500);
const service = await start('serve.ts', {
  DATABASE_URL: database.url,
  DATABASE_POOL_MAX: poolMax,
  PORT: String(servicePort),
  RATE_LIMITS: 'off',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  BENCH_JWKS: JSON.stringify(auth.keyRing.jwks),
  BENCH_EVENT_ID: eventId,
  BENCH_ORGANIZER_ID: organizer.userId,
});
const base = `http://127.0.0.1:${servicePort}`;
const created = await fetch(`${base}/api/events/${eventId}/tickets`, {
  method: 'POST',
  headers: { ...organizer.headers, 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Hot', price: 0, currency: 'eur', quantity: 1_000_000, maxPerOrder: 1 }),
});
const ticketType = (await created.json()) as { id: string };
const body = JSON.stringify({ eventId, ticketTypeId: ticketType.id, quantity: 1 });

// One distinct user per request: tokens signed up front so signing costs the load generator nothing.
const tokens = await Promise.all(
  Array.from({ length: Math.max(20_000, seconds * 2_500) }, () => auth.tokenFor({ role: 'attendee' })),
);
let next = 0;
const registrations = (duration: number) =>
  autocannon({
    url: `${base}/api/registrations`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` },
          body,
        }),
      },
    ],
  });

await registrations(3);
const purchase = summarize('POST /api/registrations (free, one hot ticket type)', await registrations(seconds));

// Oversell check: counters, registrations and tickets agree, and nothing exceeds the quantity.
const db = createDatabase<any>({ url: database.url, poolMax: 2 });
const { rows } = await sql<{
  sold: number;
  quantity: number;
  taken: number;
  active: number;
  tickets: number;
  duplicates: number;
}>`select tt.sold, tt.quantity, e.taken,
      (select count(*) from ticketing.registrations r where r.status in ('pending', 'confirmed'))::int as active,
      (select count(*) from ticketing.tickets)::int as tickets,
      (select count(*) - count(distinct user_id) from ticketing.registrations r where r.status in ('pending', 'confirmed'))::int as duplicates
    from ticketing.ticket_types tt join ticketing.events e on e.id = tt.event_id`.execute(db.kysely);
const check = rows[0];
const oversellCheck = {
  ...check,
  ok:
    check !== undefined &&
    check.sold === check.taken &&
    check.sold === check.active &&
    check.active === check.tickets &&
    check.sold <= check.quantity &&
    check.duplicates === 0,
};

const availability = summarize(
  'GET /api/events/:id/availability',
  await autocannon({ url: `${base}/api/events/${eventId}/availability`, connections, duration: 10 }),
);
const helloPort = servicePort + 1;
const hello = await start('hello.ts', { PORT: String(helloPort) });
const helloWorld = summarize(
  'Fastify hello-world',
  await autocannon({ url: `http://127.0.0.1:${helloPort}/hello`, connections, duration: 10 }),
);
hello.kill('SIGTERM');
service.kill('SIGTERM');
await new Promise((done) => service.once('exit', done));

// The baselines, at the same concurrency on the same server: the service's own statement as SQL
// (single-statement.sql, the equivalent transaction), and the classic multi-statement transaction.
const pgbench = (script: string) => {
  execFileSync('psql', ['-q', database.url, '-v', 'ON_ERROR_STOP=1', '-f', resolve(here, 'pgbench/setup.sql')], {
    stdio: 'ignore',
  });
  const out = execFileSync(
    'pgbench',
    [
      '-n',
      '-M',
      'prepared',
      '-T',
      String(seconds),
      '-c',
      String(connections),
      '-j',
      '2',
      '-f',
      resolve(here, 'pgbench', script),
      database.url,
    ],
    { encoding: 'utf8' },
  );
  return {
    name: `pgbench ${script}, ${connections} clients`,
    tps: Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1])),
    latencyAverageMs: Number(/latency average = ([\d.]+)/.exec(out)?.[1]),
  };
};
const baseline = pgbench('single-statement.sql');
const classic = pgbench('conditional-update.sql');

await db.close();
await database.drop();
console.log(
  JSON.stringify(
    {
      at: new Date().toISOString(),
      seconds,
      connections,
      poolMax: Number(poolMax),
      purchase,
      oversellCheck,
      baseline,
      purchaseVsBaseline: +(purchase.requestsPerSecond / baseline.tps).toFixed(2),
      classic,
      availability,
      helloWorld,
      availabilityVsHello: +(availability.requestsPerSecond / helloWorld.requestsPerSecond).toFixed(2),
    },
    null,
    2,
  ),
);
process.exit(0);
