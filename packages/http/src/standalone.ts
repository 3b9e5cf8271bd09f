import { createInProcessTransport, createKafkaTransport } from '@echoplex/bus';
import { topics } from '@echoplex/contracts';
import { createLogger, createMetricsRegistry, startTracing } from '@echoplex/telemetry';
import { createTokenVerifier } from './auth';
import { commonConfig, parseConfig } from './config';
import { exitOnSignals, hostServices } from './host';
import { exitIfUnsafeForProduction } from './production';
import type { KeyRing, ServiceDefinition } from './service';

export const registryTopics = Object.entries(topics).map(([name, definition]) => ({
  name,
  compacted: 'compacted' in definition && definition.compacted,
  retentionMs: 'retentionMs' in definition ? definition.retentionMs : undefined,
}));

/** A service as its own process (distributed mode): Kafka bus, remote JWKS, its own port. */
export async function runStandaloneService(service: ServiceDefinition, env: NodeJS.ProcessEnv): Promise<void> {
  const config = parseConfig(commonConfig, env);
  const logger = createLogger({ service: service.name, level: config.LOG_LEVEL });
  exitIfUnsafeForProduction(env, { takesPayments: service.takesPayments }, logger);
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required for a standalone service');
  const tracing = startTracing(service.name, env);
  const registry = createMetricsRegistry({ service: service.name });
  const keyRing: KeyRing = { jwks: { keys: [] } };
  const transport = config.KAFKA_BROKERS
    ? await createKafkaTransport({
        brokers: config.KAFKA_BROKERS.split(','),
        clientId: service.name,
        topics: registryTopics,
        log: logger.child({ component: 'kafka' }),
      })
    : createInProcessTransport();
  const verifier = createTokenVerifier(config.JWKS_URL ? { jwksUrl: config.JWKS_URL } : { jwks: () => keyRing.jwks });
  const host = await hostServices({
    services: [service],
    config: { ...config, DATABASE_URL: config.DATABASE_URL },
    transport,
    logger,
    registry,
    verifier,
    keyRing,
  });
  await host.app.listen({ host: config.HOST, port: config.PORT });
  exitOnSignals(host, logger, () => tracing.shutdown());
}
