import { randomUUID } from 'node:crypto';
import { createInProcessTransport, createKafkaTransport, type Transport } from '@echoplex/bus';
import {
  commonConfig,
  createTokenVerifier,
  hostServices,
  parseConfig,
  registryTopics,
  type ServiceDefinition,
  type ServiceHost,
} from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import type { TestAuth } from '@echoplex/testkit';
import { inject } from 'vitest';

/**
 * Hosts services on an existing database and the given bus, exactly as `startServicesForTests`
 * does, for tests that stop a host and start another on the same database.
 */
export async function hostOnDatabase(
  services: ServiceDefinition[],
  databaseUrl: string,
  auth: TestAuth,
  transport: Transport,
): Promise<ServiceHost> {
  const config = parseConfig(commonConfig, { NODE_ENV: 'test', DATABASE_URL: databaseUrl });
  const host = await hostServices({
    services,
    config: { ...config, DATABASE_URL: databaseUrl },
    transport,
    logger: createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    registry: createMetricsRegistry(),
    verifier: createTokenVerifier({ jwks: () => auth.keyRing.jwks }),
    keyRing: auth.keyRing,
  });
  await host.app.ready();
  return host;
}

/** A producer of its own, standing in for the other services' relays across gateway restarts. */
export function kafkaTransport(): Promise<Transport> {
  return createKafkaTransport({
    brokers: inject('kafkaBrokers'),
    clientId: `test-${randomUUID()}`,
    topics: registryTopics,
  });
}

export function inProcessTransport(): Transport {
  return createInProcessTransport();
}
