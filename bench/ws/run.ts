/**
 * WebSocket fan-out benchmark: N clients on one hot event while ticketing commits seat changes at a
 * steady rate, in embedded mode (in-process bus) and through Kafka, against a bare `ws` broadcast
 * server in the same run.
 *
 *   node --import tsx bench/ws/run.ts [clients=1000] [rate=200] [seconds=20] [modes=embedded,kafka,baseline]
 *
 * Needs the machine's PostgreSQL (127.0.0.1:5432) and, for kafka, KAFKA_BROKERS (default 127.0.0.1:29092).
 * BENCH_COALESCE_MS sets the gateway's coalescing window (default 50); the gateway reads the other REALTIME_*
 * settings (REALTIME_FANOUT_SHARE, REALTIME_FANOUT_CHUNK, ...) as main.ts does; BENCH_SERVER_NODE_ARGS passes node flags
 * to the server processes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Child } from './child';
import { ClientFleet } from './client-fleet';
import { SplitFleet } from './split-fleet';

const [clientsArg = '1000', rateArg = '200', secondsArg = '20', modesArg = 'embedded,kafka,baseline'] =
  process.argv.slice(2);
const clients = Number(clientsArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const modes = modesArg.split(',') as ('embedded' | 'kafka' | 'baseline')[];
const burstTypes = 100;
const bursts = 5;
const singleMessages = 20;
const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function start(mode: string, databaseUrl: string, fleet: SplitFleet): Child {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--expose-gc', 'bench/ws/server.ts', mode], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
  });
  return new Child(child, (message: { commits?: [string, number, number][] }) => {
    for (const [id, version, at] of message.commits ?? []) fleet.recordCommit(id, version, at);
  });
}

async function withDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_ws_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

interface ModeResult {
  mode: string;
  memoryPerConnectionKb: { rss: number; heap: number };
  latencyMs?: ReturnType<ClientFleet['latency']['summary']>;
  commitRate?: number;
  framesPerSecond?: number;
  burstFramesPerSecond: number[];
  /** Frames per second of the server's own CPU time (user + system): load on other cores does not move it. */
  burstFramesPerCpuSecond: number[];
  /** Lone messages (see measureSingles): wall and CPU frames per second. */
  singles: { wall: number; cpu: number };
  serverMetrics?: string[];
}

/** Runs one burst and measures it by the wall clock and by the server's CPU time. */
async function measureBurst(
  server: Child,
  fleet: SplitFleet,
  frames: number,
  start: () => Promise<unknown>,
): Promise<{ wall: number; cpu: number }> {
  const { seconds, cpuSeconds } = await timeBurst(server, fleet, frames, start);
  const total = fleet.size * frames;
  return { wall: Math.round(total / seconds), cpu: Math.round(total / cpuSeconds) };
}

async function timeBurst(
  server: Child,
  fleet: SplitFleet,
  frames: number,
  start: () => Promise<unknown>,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const { delivered } = await fleet.expectBurst(frames);
  const cpuBefore = await server.call<NodeJS.CpuUsage>('cpu');
  const startedAt = performance.now();
  await start();
  await delivered;
  const seconds = (performance.now() - startedAt) / 1000;
  const cpuAfter = await server.call<NodeJS.CpuUsage>('cpu');
  const cpuSeconds = (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1e6;
  return { seconds, cpuSeconds };
}

/**
 * Messages one at a time, each after the previous reached every client: nothing can be written to a
 * socket together, so this is the cost of a lone message's fan-out (frames per server CPU-second).
 */
async function measureSingles(
  server: Child,
  fleet: SplitFleet,
  count: number,
  send: (index: number) => Promise<unknown>,
): Promise<{ wall: number; cpu: number }> {
  let seconds = 0;
  let cpuSeconds = 0;
  for (let i = 0; i < count; i++) {
    const timed = await timeBurst(server, fleet, 1, () => send(i));
    seconds += timed.seconds;
    cpuSeconds += timed.cpuSeconds;
  }
  const total = fleet.size * count;
  return { wall: Math.round(total / seconds), cpu: Math.round(total / cpuSeconds) };
}

async function runGateway(mode: 'embedded' | 'kafka'): Promise<ModeResult> {
  return withDatabase(async (databaseUrl) => {
    const fleet = new SplitFleet();
    const server = start(mode, databaseUrl, fleet);
    const { port } = await server.ready;
    const publisher = mode === 'kafka' ? start('publisher', databaseUrl, fleet) : server;
    if (publisher !== server) await publisher.ready;
    try {
      const { eventId, ticketTypeIds } = await publisher.call('createEvent', { ticketTypes: 1 + burstTypes });
      const [hot, ...burst] = ticketTypeIds as string[];
      const url = `ws://127.0.0.1:${port}/ws`;
      // The first subscriber waits until the gateway has consumed the new event.
      const probe = new ClientFleet();
      for (;;) {
        const ready = await Promise.race([
          probe.connect(url, 1, `event:${eventId}`, true).then(() => true),
          sleep(500).then(() => false),
        ]);
        probe.close();
        if (ready) break;
      }
      await sleep(500);
      const before = await server.call('memory');
      await fleet.connect(url, clients, `event:${eventId}`, true);
      const after = await server.call('memory');

      await fleet.measureLatencyOf(hot as string);
      const stream = await publisher.call('stream', { ticketTypeId: hot, rate, durationMs: seconds * 1000 });
      await sleep(1000);
      const latency = fleet.latency.summary();
      const framesPerSecond = (await fleet.framesReceived()) / seconds;

      const burstFramesPerSecond: number[] = [];
      const burstFramesPerCpuSecond: number[] = [];
      for (let i = 0; i < bursts; i++) {
        await sleep(1000);
        const { wall, cpu } = await measureBurst(server, fleet, burst.length, () =>
          publisher.call('burst', { ticketTypeIds: burst }),
        );
        burstFramesPerSecond.push(wall);
        burstFramesPerCpuSecond.push(cpu);
      }
      await sleep(1000);
      const singles = await measureSingles(server, fleet, singleMessages, (index) =>
        publisher.call('burst', { ticketTypeIds: [burst[index]] }),
      );
      const serverMetrics = await server.call<string[]>('metrics');
      await fleet.close();
      return {
        mode,
        memoryPerConnectionKb: {
          rss: kb((after.rss - before.rss) / clients),
          heap: kb((after.heapUsed + after.external - before.heapUsed - before.external) / clients),
        },
        latencyMs: latency,
        commitRate: Math.round(stream.rate),
        framesPerSecond: Math.round(framesPerSecond),
        burstFramesPerSecond,
        burstFramesPerCpuSecond,
        singles,
        serverMetrics,
      };
    } finally {
      if (publisher !== server) await publisher.call('stop').catch(() => {});
      await server.call('stop').catch(() => {});
    }
  });
}

async function runBaseline(): Promise<ModeResult> {
  const fleet = new SplitFleet();
  const server = start('baseline', 'postgres://unused', fleet);
  const { port } = await server.ready;
  try {
    const eventId = crypto.randomUUID();
    const before = await server.call('memory');
    await fleet.connect(`ws://127.0.0.1:${port}/ws`, clients, `event:${eventId}`, false);
    await sleep(500);
    const after = await server.call('memory');
    // The same frames the gateway sends for a burst: one availability message per ticket type.
    const burstFramesPerSecond: number[] = [];
    const burstFramesPerCpuSecond: number[] = [];
    for (let i = 0; i < bursts; i++) {
      await sleep(1000);
      const messages = Array.from({ length: burstTypes }, (_, index) =>
        JSON.stringify({
          channel: `event:${eventId}`,
          type: 'availability',
          data: { ticketTypeId: crypto.randomUUID(), available: 999_990 - index, status: 'on_sale', version: 10 + i },
          version: 20_000 + i * burstTypes + index,
        }),
      );
      const { wall, cpu } = await measureBurst(server, fleet, burstTypes, () => server.call('broadcast', { messages }));
      burstFramesPerSecond.push(wall);
      burstFramesPerCpuSecond.push(cpu);
    }
    await sleep(1000);
    const singles = await measureSingles(server, fleet, singleMessages, (index) =>
      server.call('broadcast', {
        messages: [
          JSON.stringify({
            channel: `event:${eventId}`,
            type: 'availability',
            data: {
              ticketTypeId: crypto.randomUUID(),
              available: 999_000 - index,
              status: 'on_sale',
              version: 100 + index,
            },
            version: 30_000 + index,
          }),
        ],
      }),
    );
    await fleet.close();
    return {
      mode: 'baseline',
      memoryPerConnectionKb: {
        rss: kb((after.rss - before.rss) / clients),
        heap: kb((after.heapUsed + after.external - before.heapUsed - before.external) / clients),
      },
      burstFramesPerSecond,
      burstFramesPerCpuSecond,
      singles,
    };
  } finally {
    await server.call('stop').catch(() => {});
  }
}

const loadBefore = loadavg()[0]?.toFixed(1);
const results: ModeResult[] = [];
for (const mode of modes) {
  const result = mode === 'baseline' ? await runBaseline() : await runGateway(mode);
  console.log(JSON.stringify(result));
  results.push(result);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const baseline = results.find((result) => result.mode === 'baseline');
console.log(
  `\n${clients} clients, ${rate}/s commits for ${seconds} s, coalescing ${process.env.BENCH_COALESCE_MS ?? 50} ms; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; load average ${loadBefore} at start, ${loadavg()[0]?.toFixed(1)} at end`,
);
console.log(
  '| mode | commits/s | frames/s to clients | commit-to-client ms p50 / p95 / p99 / max | memory per connection KB (RSS / heap+external) | burst frames/s, wall (median of 5) | burst frames per server CPU-second (median) | vs baseline (wall / CPU) | lone messages: frames/s wall / per server CPU-s | vs baseline (wall / CPU) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const result of results) {
  const wall = median(result.burstFramesPerSecond);
  const cpu = median(result.burstFramesPerCpuSecond);
  const ratio = baseline
    ? `${Math.round((wall / median(baseline.burstFramesPerSecond)) * 100)}% / ${Math.round((cpu / median(baseline.burstFramesPerCpuSecond)) * 100)}%`
    : '';
  const latency = result.latencyMs
    ? `${result.latencyMs.p50} / ${result.latencyMs.p95} / ${result.latencyMs.p99} / ${result.latencyMs.max} (n=${result.latencyMs.count})`
    : '';
  const singles = result.singles;
  const singlesRatio = baseline
    ? `${Math.round((singles.wall / baseline.singles.wall) * 100)}% / ${Math.round((singles.cpu / baseline.singles.cpu) * 100)}%`
    : '';
  console.log(
    `| ${result.mode} | ${result.commitRate ?? ''} | ${result.framesPerSecond ?? ''} | ${latency} | ${result.memoryPerConnectionKb.rss} / ${result.memoryPerConnectionKb.heap} | ${wall} | ${cpu} | ${ratio} | ${singles.wall} / ${singles.cpu} | ${singlesRatio} |`,
  );
}
process.exit(0);
