import { resolve } from 'node:path';
import { createInProcessTransport } from '@echoplex/bus';
import { startEmbeddedPostgres } from '@echoplex/db';
import { commonConfig, createTokenVerifier, hostServices, type KeyRing, parseConfig } from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { z } from 'zod';
import { finishGateway, prepareGateway } from './gateway';
import { serviceTable } from './services';

const repoRoot = resolve(import.meta.dirname, '../../..');

export const embeddedConfig = commonConfig.extend({
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().default(54320),
  DATA_DIR: z.string().default(resolve(repoRoot, '.data')),
  CORS_ORIGINS: z.string().default(''),
  WEB_DIST: z.string().default(resolve(repoRoot, 'web/dist')),
  /** Fill the platform with sample organizers, events and ticket types at start (never in production). */
  SEED: z.enum(['on', 'off']).optional(),
  /** Production uses a managed PostgreSQL by DATABASE_URL; this lets it run the embedded one anyway. */
  ALLOW_EMBEDDED_DATABASE: z.enum(['true', 'false']).default('false'),
  /** The embedded server's `postgres` password (production refuses the default). */
  EMBEDDED_POSTGRES_PASSWORD: z.string().optional(),
});

/** Sample data is made outside production unless switched off; production never seeds. */
export function seedsSampleData(config: { NODE_ENV: string; SEED?: 'on' | 'off' }): boolean {
  return config.NODE_ENV !== 'production' && (config.SEED ?? 'on') === 'on';
}

/**
 * The whole platform in one process: every service as a plugin under the gateway, the in-process
 * bus fed by the same outbox tables, and an embedded PostgreSQL unless DATABASE_URL is set.
 */
export async function startEmbedded(env: NodeJS.ProcessEnv) {
  const config = parseConfig(embeddedConfig, env);
  const logger = createLogger({ service: 'echoplex', level: config.LOG_LEVEL });
  const postgres = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: resolve(config.DATA_DIR, 'postgres'),
        port: config.EMBEDDED_POSTGRES_PORT,
        password: config.EMBEDDED_POSTGRES_PASSWORD,
      });
  const databaseUrl = config.DATABASE_URL ?? (postgres?.url as string);
  const keyRing: KeyRing = { jwks: { keys: [] } };
  const gatewayOptions = {
    corsOrigins: config.CORS_ORIGINS.split(',').filter(Boolean),
    webDist: config.WEB_DIST,
  };
  const host = await hostServices({
    services: serviceTable(env).map((service) => service.definition),
    config: { ...config, DATABASE_URL: databaseUrl },
    transport: createInProcessTransport(),
    logger,
    registry: createMetricsRegistry({ service: 'echoplex' }),
    verifier: createTokenVerifier({ jwks: () => keyRing.jwks }),
    keyRing,
    spaIndexFile: resolve(config.WEB_DIST, 'index.html'),
    prepare: (app) => prepareGateway(app, gatewayOptions),
    extend: (app) => finishGateway(app, gatewayOptions),
  });
  return { host, config, logger, stopPostgres: async () => postgres?.stop() };
}
