/**
 * Logins per second at 16 concurrent clients through the embedded gateway, next to a same-run
 * baseline of bare argon2id verifications (`@node-rs/argon2` called directly, 16 in flight, the
 * production parameters). Rounds alternate baseline and logins so background load on
 * the shared machine falls on both. Start the gateway first (see RESULTS.md), then:
 *
 *   npx tsx bench/login/login-bench.ts
 *
 * BENCH_URL (default http://127.0.0.1:3400), BENCH_SECONDS (8), BENCH_ROUNDS (5). Short adjacent phases
 * keep a neighbour's burst of load from landing on one side of the comparison only.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { passwordHashParameters } from '../../services/identity/src/domain/password-hashing';

const target = process.env.BENCH_URL ?? 'http://127.0.0.1:3400';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const concurrency = 16;
const userCount = 32;
const password = 'violet kettle harbour 42';

interface Measurement {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** Latency of GET /api/users/me (token verification, one query) while the logins run. */
  profileP99?: number;
}

async function registerUsers(): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const emails: string[] = [];
  for (let index = 0; index < userCount; index += 1) {
    const email = `bench-${run}-${index}@example.test`;
    const response = await fetch(`${target}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, firstName: 'Bench', lastName: `User ${index}`, role: 'attendee' }),
    });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${await response.text()}`);
    emails.push(email);
  }
  return emails;
}

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${target}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function measureLogins(emails: string[], durationSeconds: number, accessToken: string): Promise<Measurement> {
  let next = 0;
  let loading = true;
  const profileLatencies: number[] = [];
  const probe = (async () => {
    while (loading) {
      const begin = performance.now();
      await fetch(`${target}/api/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      profileLatencies.push(performance.now() - begin);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const result = await autocannon({
    url: `${target}/api/auth/login`,
    method: 'POST',
    connections: concurrency,
    duration: durationSeconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          next += 1;
          return { ...request, body: JSON.stringify({ email: emails[next % emails.length], password }) };
        },
      },
    ],
  });
  loading = false;
  await probe;
  return {
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    profileP99: percentile(profileLatencies, 0.99),
  };
}

async function measureBaseline(stored: string, durationSeconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        if (!(await verify(stored, password))) failures += 1;
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures,
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const fixed = (value: number) => value.toFixed(1);

const loadBefore = loadavg();
const emails = await registerUsers();
const stored = await hash(password, passwordHashParameters);
const accessToken = await signIn(emails[0] as string);
// Warm-up: JIT, database connections, the gateway's thread pool.
await measureLogins(emails, 3, accessToken);
await measureBaseline(stored, 2);

const baseline: Measurement[] = [];
const logins: Measurement[] = [];
for (let round = 0; round < rounds; round += 1) {
  baseline.push(await measureBaseline(stored, seconds));
  logins.push(await measureLogins(emails, seconds, accessToken));
}
const loadAfter = loadavg();

const baselineRate = median(baseline.map((m) => m.perSecond));
const loginRate = median(logins.map((m) => m.perSecond));
console.log(
  `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model.trim()} · node ${process.version} · ` +
    `argon2id m=${passwordHashParameters.memoryCost} t=${passwordHashParameters.timeCost} p=${passwordHashParameters.parallelism} · ` +
    `${concurrency} concurrent · ${rounds} rounds × ${seconds} s · load average before ${loadBefore.map(fixed).join('/')}, after ${loadAfter.map(fixed).join('/')}`,
);
console.log(
  '| round | baseline verify/s | baseline p99 ms | logins/s | login p50 ms | login p99 ms | login/baseline | GET /api/users/me p99 ms meanwhile | failures |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (let round = 0; round < rounds; round += 1) {
  const b = baseline[round] as Measurement;
  const l = logins[round] as Measurement;
  console.log(
    `| ${round + 1} | ${fixed(b.perSecond)} | ${fixed(b.p99)} | ${fixed(l.perSecond)} | ${fixed(l.p50)} | ${fixed(l.p99)} | ${fixed((100 * l.perSecond) / b.perSecond)} % | ${fixed(l.profileP99 ?? 0)} | ${b.failures + l.failures} |`,
  );
}
const ratios = logins.map((m, round) => (100 * m.perSecond) / (baseline[round] as Measurement).perSecond);
console.log(
  `| median | ${fixed(baselineRate)} | ${fixed(median(baseline.map((m) => m.p99)))} | ${fixed(loginRate)} | ${fixed(median(logins.map((m) => m.p50)))} | ${fixed(median(logins.map((m) => m.p99)))} | ${fixed(median(ratios))} % (per round) | ${fixed(median(logins.map((m) => m.profileP99 ?? 0)))} | |`,
);
