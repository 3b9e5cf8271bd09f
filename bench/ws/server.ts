/**
 * One process of the WebSocket benchmark, driven over IPC by run.ts:
 *   embedded  the realtime gateway on the in-process bus, with the ticketing stand-in in the same process
 *   kafka     the realtime gateway on Kafka (as in distributed mode)
 *   publisher the ticketing stand-in publishing to Kafka
 *   baseline  a bare `ws` server that broadcasts what it is told to, nothing else
 */

import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInProcessTransport, createKafkaTransport, type Transport } from '@echoplex/bus';
import {
  commonConfig,
  createTokenVerifier,
  hostServices,
  parseConfig,
  registryTopics,
  type ServiceHost,
} from '@echoplex/http';
import { createRealtimeService } from '@echoplex/realtime-gateway';
import { realtimeConfig, realtimeOptionsFrom } from '@echoplex/realtime-gateway/config';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { type WebSocket, WebSocketServer } from 'ws';
import { TicketingStandIn } from './ticketing-stand-in';

type Request = { id: number; cmd: string; args?: any };
const mode = process.argv[2] as 'embedded' | 'kafka' | 'publisher' | 'baseline';
const send = (message: object) => process.send?.(message);
const databaseUrl = process.env.DATABASE_URL as string;

async function kafka(clientId: string): Promise<Transport> {
  return createKafkaTransport({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(','),
    clientId,
    topics: registryTopics,
  });
}

async function hostGateway(transport: Transport): Promise<{ host: ServiceHost; port: number }> {
  const config = parseConfig(commonConfig, { NODE_ENV: 'production', DATABASE_URL: databaseUrl, RATE_LIMITS: 'off' });
  const keyRing = { jwks: { keys: [] } };
  const host = await hostServices({
    services: [
      createRealtimeService({
        coalesceMs: Number(process.env.BENCH_COALESCE_MS ?? 50),
        // REALTIME_FANOUT_SHARE, REALTIME_FANOUT_CHUNK, ... as main.ts reads them.
        ...realtimeOptionsFrom(parseConfig(realtimeConfig, process.env)),
      }),
    ],
    config: { ...config, DATABASE_URL: databaseUrl },
    transport,
    logger: createLogger({ service: 'bench-realtime', level: 'warn' }),
    registry: createMetricsRegistry(),
    verifier: createTokenVerifier({ jwks: () => keyRing.jwks }),
    keyRing,
  });
  await host.app.listen({ host: '127.0.0.1', port: 0 });
  return { host, port: (host.app.server.address() as AddressInfo).port };
}

function baselineServer(): Promise<{ wss: WebSocketServer; port: number; sockets: Set<WebSocket> }> {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws', perMessageDeflate: false });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    wss.on('listening', () => resolve({ wss, port: (wss.address() as AddressInfo).port, sockets })),
  );
}

function memory(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

async function main() {
  let host: ServiceHost | undefined;
  let standIn: TicketingStandIn | undefined;
  let baseline: Awaited<ReturnType<typeof baselineServer>> | undefined;
  let port = 0;

  if (mode === 'embedded') {
    const transport = createInProcessTransport();
    ({ host, port } = await hostGateway(transport));
    standIn = await TicketingStandIn.start(databaseUrl, transport);
  } else if (mode === 'kafka') {
    ({ host, port } = await hostGateway(await kafka('bench-realtime')));
  } else if (mode === 'publisher') {
    standIn = await TicketingStandIn.start(databaseUrl, await kafka('bench-ticketing'));
  } else {
    baseline = await baselineServer();
    port = baseline.port;
  }

  const commands: Record<string, (args: any) => Promise<unknown>> = {
    memory: async () => memory(),
    cpu: async () => process.cpuUsage(),
    createEvent: async ({ ticketTypes }) => standIn?.createEvent(ticketTypes),
    stream: async ({ ticketTypeId, rate, durationMs }) => {
      // Commits start on schedule whether or not earlier ones finished, as concurrent buyers would.
      const interval = 1000 / rate;
      const started = performance.now();
      const inFlight = new Set<Promise<void>>();
      let next = started;
      let committed = 0;
      while (performance.now() - started < durationMs) {
        if (inFlight.size >= 8) await Promise.race(inFlight);
        const sale: Promise<void> = (standIn as TicketingStandIn)
          .sell([ticketTypeId])
          .then(({ versions, committedAt }) => {
            send({ commits: versions.map(([id, version]) => [id, version, committedAt]) });
            committed++;
            inFlight.delete(sale);
          });
        inFlight.add(sale);
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await Promise.all(inFlight);
      return { committed, rate: committed / ((performance.now() - started) / 1000) };
    },
    burst: async ({ ticketTypeIds }) => {
      const { versions, committedAt } = await (standIn as TicketingStandIn).sell(ticketTypeIds);
      send({ commits: versions.map(([id, version]) => [id, version, committedAt]) });
      return { versions };
    },
    broadcast: async ({ messages }: { messages: string[] }) => {
      const sockets = (baseline as NonNullable<typeof baseline>).sockets;
      for (const message of messages) {
        const frame = Buffer.from(message);
        for (const socket of sockets) socket.send(frame, { binary: false });
      }
      return { sockets: sockets.size };
    },
    metrics: async () => {
      const body = (await host?.app.inject({ method: 'GET', url: '/metrics' }))?.body ?? '';
      return body.split('\n').filter((line) => line.startsWith('realtime_') && !line.includes('_bucket'));
    },
    stop: async () => {
      await standIn?.close();
      await host?.shutdown();
      baseline?.wss.close();
      setImmediate(() => process.exit(0));
      return {};
    },
  };

  process.on('message', (request: Request) => {
    const command = commands[request.cmd];
    if (!command) return send({ id: request.id, error: `unknown command ${request.cmd}` });
    command(request.args ?? {}).then(
      (result) => send({ id: request.id, result }),
      (error) => send({ id: request.id, error: String(error?.stack ?? error) }),
    );
  });
  send({ ready: true, port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
