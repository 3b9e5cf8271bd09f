/**
 * The ticketing service hosted alone, as the embedded gateway will host it (one process, in-process
 * bus, outbox relay running), for bench/purchase/run.ts. It trusts the public keys in BENCH_JWKS and
 * seeds the read model with one published event (BENCH_EVENT_ID, organized by BENCH_ORGANIZER_ID),
 * then prints `ready` on stdout.
 */
import { randomUUID } from 'node:crypto';
import { createInProcessTransport } from '@echoplex/bus';
import { toKafkaHeaders } from '@echoplex/contracts';
import { commonConfig, createTokenVerifier, hostServices, type KeyRing, parseConfig } from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { ticketingService } from '@echoplex/ticketing';

const config = parseConfig(commonConfig, process.env);
const keyRing: KeyRing = { jwks: JSON.parse(process.env.BENCH_JWKS as string) };
const transport = createInProcessTransport();
const logger = createLogger({ service: 'bench-ticketing', level: config.LOG_LEVEL });
const host = await hostServices({
  services: [ticketingService],
  config: { ...config, DATABASE_URL: config.DATABASE_URL as string },
  transport,
  logger,
  registry: createMetricsRegistry({ service: 'bench-ticketing' }),
  verifier: createTokenVerifier({ jwks: () => keyRing.jwks }),
  keyRing,
});
await host.app.listen({ host: '127.0.0.1', port: config.PORT });

const eventId = process.env.BENCH_EVENT_ID as string;
const start = Date.now() + 30 * 24 * 3_600_000;
const state = {
  eventId,
  organizerId: process.env.BENCH_ORGANIZER_ID as string,
  name: 'Bench sale day',
  status: 'published',
  startTime: new Date(start).toISOString(),
  endTime: new Date(start + 3 * 3_600_000).toISOString(),
  capacity: 10_000_000,
  city: null,
  categories: [],
};
await transport.publish([
  {
    topic: 'events.event.v1',
    key: eventId,
    value: JSON.stringify(state),
    headers: toKafkaHeaders({
      id: randomUUID(),
      source: 'bench',
      type: 'event.created',
      time: new Date().toISOString(),
      subject: eventId,
      data: state,
    }),
  },
]);
for (;;) {
  const response = await host.app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` });
  if (response.statusCode === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log('ready');
process.on('SIGUSR2', () => {
  const { user, system } = process.cpuUsage();
  console.error(JSON.stringify({ cpuMs: Math.round((user + system) / 1000) }));
});
process.on('SIGTERM', () => {
  host.shutdown().then(() => process.exit(0));
});
