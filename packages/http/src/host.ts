import { Outbox, type OutboxRelay, startOutboxRelay, type Transport } from '@echoplex/bus';
import { createDatabase, migrateSchema, pingDatabase } from '@echoplex/db';
import type { Logger, Registry } from '@echoplex/telemetry';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { createHttpApp, type HttpApp } from './app';
import type { TokenVerifier } from './auth';
import { instrumentTransport, registerOutboxGauges } from './bus-metrics';
import type { CommonConfig } from './config';
import { collectOpenApi } from './openapi';
import { metricsAccess, operationsRoutes, type ReadinessCheck, startMetricsListener } from './operations';
import type { KeyRing, ServiceDefinition } from './service';
import { followSessionRevocations } from './session-revocations';

export interface HostOptions {
  services: ServiceDefinition[];
  config: CommonConfig & { DATABASE_URL: string };
  transport: Transport;
  logger: Logger;
  registry: Registry;
  verifier: TokenVerifier;
  keyRing: KeyRing;
  /** Host-wide plugins that must see every route (security headers, the OpenAPI collector). */
  prepare?: (app: HttpApp) => Promise<void>;
  /** Extra routes of the host itself (the gateway's docs, SPA or proxies), registered last. */
  extend?: (app: HttpApp) => Promise<void>;
  bodyLimit?: number;
  spaIndexFile?: string;
}

export interface ServiceHost {
  app: HttpApp;
  /** Stops taking traffic, finishes in-flight requests, stops consumers, flushes the outbox, closes pools. */
  shutdown(): Promise<void>;
}

/**
 * Runs one or more services in one process: each migrates its own schema and gets an encapsulated
 * plugin, its own outbox relay and a context scoped to its schema. Standalone `main.ts` hosts one
 * service; the embedded gateway hosts them all on one pool and the in-process bus.
 */
export async function hostServices(options: HostOptions): Promise<ServiceHost> {
  const { config, logger, registry } = options;
  const transport = instrumentTransport(options.transport, registry);
  const database = createDatabase<unknown>({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    applicationName: options.services.map((service) => service.name).join(','),
  });
  for (const service of options.services) {
    await migrateSchema(database.kysely, service.schema, service.migrations);
  }

  let draining = false;
  const redis = config.REDIS_URL ? rateLimitStore(config.REDIS_URL) : undefined;
  const app = await createHttpApp({
    logger,
    registry,
    verifier: options.verifier,
    bodyLimit: options.bodyLimit,
    spaIndexFile: options.spaIndexFile,
    rateLimits: { enabled: config.RATE_LIMITS === 'on', redis },
    trustProxy: config.TRUST_PROXY,
  });
  await collectOpenApi(app);
  if (options.prepare) await options.prepare(app);
  const published = new Counter({
    name: 'outbox_published_total',
    help: 'Outbox rows published to the bus',
    labelNames: ['schema'],
    registers: [registry],
  });

  // Until the revocations of live tokens are read, a revoked token would pass: not ready before.
  let revocationsRead = false;
  const checks: Record<string, ReadinessCheck> = {
    database: () => pingDatabase(database.kysely),
    bus: () => transport.ping(),
    'session-revocations': async () => {
      if (!revocationsRead) throw new Error('reading session revocations');
    },
  };
  const revocationFollower = await followSessionRevocations({
    transport,
    revocations: options.verifier.revocations,
    log: logger.child({ component: 'session-revocations' }),
    onCaughtUp: () => {
      revocationsRead = true;
    },
  });
  for (const service of options.services) {
    const ctx = {
      db: database.kysely.withSchema(service.schema),
      databaseUrl: config.DATABASE_URL,
      outbox: new Outbox(service.schema, service.name),
      transport,
      log: logger.child({ component: service.name }),
      registry,
      clock: () => new Date(),
      config,
      keyRing: options.keyRing,
      verifier: options.verifier,
      addReadinessCheck: (name: string, check: ReadinessCheck) => {
        checks[name] = check;
      },
    };
    await app.register(async (child) => service.plugin(child as HttpApp, ctx));
  }
  await app.register(operationsRoutes, {
    registry,
    isDraining: () => draining,
    checks,
    metrics: metricsAccess(config),
  });
  const metricsListener =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsListener(registry, config.HOST, config.METRICS_PORT);
  if (options.extend) await options.extend(app);
  registerOutboxGauges(
    registry,
    database.kysely,
    options.services.map((service) => service.schema),
  );

  const relays: OutboxRelay[] = [];
  for (const service of options.services) {
    relays.push(
      await startOutboxRelay({
        kysely: database.kysely.withSchema(service.schema),
        schema: service.schema,
        databaseUrl: config.DATABASE_URL,
        transport,
        log: logger.child({ component: `${service.name}-relay` }),
        onPublished: (count) => published.inc({ schema: service.schema }, count),
      }),
    );
  }

  return {
    app,
    async shutdown() {
      draining = true;
      if (config.SHUTDOWN_DRAIN_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      await app.close();
      await revocationFollower.stop();
      for (const relay of relays) {
        await relay.flush();
        await relay.stop();
      }
      await transport.close();
      await metricsListener?.close();
      await database.close();
      redis?.disconnect();
    },
  };
}

/**
 * The Redis connection behind shared rate-limit counters. Short timeouts and one retry: a limiter
 * that waits on an unreachable Redis would stall every limited route.
 */
export function rateLimitStore(url: string): Redis {
  return new Redis(url, { connectTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

/** SIGTERM/SIGINT drain gracefully; a second signal forces the exit. */
export function exitOnSignals(host: ServiceHost, logger: Logger, cleanup: () => Promise<void> = async () => {}): void {
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C reaches us twice (from the terminal's process group and relayed by npm/tsx):
      // only a signal sent on purpose, a moment later, forces the exit.
      if (Date.now() - stoppingSince < 1_000) return;
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    host
      .shutdown()
      .then(cleanup)
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
