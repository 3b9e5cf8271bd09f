import { randomUUID } from 'node:crypto';
import { createInProcessTransport, createKafkaTransport, type Transport } from '@echoplex/bus';
import {
  accessTokenAudience,
  accessTokenIssuer,
  commonConfig,
  createTokenVerifier,
  hostServices,
  type KeyRing,
  parseConfig,
  type Role,
  registryTopics,
  type ServiceDefinition,
  type ServiceHost,
} from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { inject } from 'vitest';
import { createTestDatabase } from './postgres';
import './provided';

export interface TestAuth {
  keyRing: KeyRing;
  /** A valid access token for a user that need not exist in the identity service, of a session of its own unless given. */
  tokenFor(user: { userId?: string; role: Role; sessionId?: string }): Promise<string>;
  /** An organizer or attendee with a fresh id and a bearer header ready to use. */
  user(role: Role): Promise<{ userId: string; role: Role; headers: { authorization: string } }>;
}

/** Signs access tokens exactly like the identity service (EdDSA, issuer, audience) with a test key. */
export async function createTestAuth(): Promise<TestAuth> {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  const kid = randomUUID();
  const keyRing: KeyRing = {
    jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' }] },
  };
  const tokenFor: TestAuth['tokenFor'] = async ({ userId = randomUUID(), role, sessionId = randomUUID() }) =>
    new SignJWT({ role, sid: sessionId })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(userId)
      .setIssuer(accessTokenIssuer)
      .setAudience(accessTokenAudience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime('15m')
      .sign(pair.privateKey);
  return {
    keyRing,
    tokenFor,
    async user(role) {
      const userId = randomUUID();
      return { userId, role, headers: { authorization: `Bearer ${await tokenFor({ userId, role })}` } };
    },
  };
}

export interface TestServices {
  host: ServiceHost;
  app: ServiceHost['app'];
  transport: Transport;
  auth: TestAuth;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Hosts services exactly as production does (migrations, plugins, outbox relays) on a fresh database
 * of their own. `bus: 'kafka'` uses the run's real broker; the default is the in-process bus.
 */
export async function startServicesForTests(
  services: ServiceDefinition[],
  options: { bus?: 'kafka' | 'in-process'; env?: Record<string, string>; auth?: TestAuth; keyRing?: KeyRing } = {},
): Promise<TestServices> {
  const database = await createTestDatabase(inject('databaseUrl'), services[0]?.name.replace(/-/g, '_') ?? 'svc');
  const auth = options.auth ?? (await createTestAuth());
  const keyRing = options.keyRing ?? auth.keyRing;
  const logger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const transport =
    options.bus === 'kafka'
      ? await createKafkaTransport({
          brokers: inject('kafkaBrokers'),
          clientId: `test-${randomUUID()}`,
          topics: registryTopics,
        })
      : createInProcessTransport();
  const config = parseConfig(commonConfig, { NODE_ENV: 'test', ...options.env, DATABASE_URL: database.url });
  const host = await hostServices({
    services,
    config: { ...config, DATABASE_URL: database.url },
    transport,
    logger,
    registry: createMetricsRegistry(),
    verifier: createTokenVerifier({ jwks: () => keyRing.jwks }),
    keyRing,
  });
  await host.app.ready();
  return {
    host,
    app: host.app,
    transport,
    auth,
    databaseUrl: database.url,
    async close() {
      await host.shutdown();
      await database.drop();
    },
  };
}
