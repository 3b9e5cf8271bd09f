import { randomUUID } from 'node:crypto';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInProcessTransport } from '@echoplex/bus';
import {
  accessTokenAudience,
  accessTokenIssuer,
  commonConfig,
  createTokenVerifier,
  hostServices,
  parseConfig,
} from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createPaymentsService } from '../src/plugin';

// The real payments service in its own process, talking to the Stripe fake through a pass-through
// proxy that SIGKILLs this process the instant Stripe has created the PaymentIntent: after the
// Stripe call, before the service could store the intent id.
const env = process.env as Record<string, string>;

const proxy = createServer((incoming, outgoing) => {
  const upstream = forward(
    {
      host: '127.0.0.1',
      port: Number(env.STRIPE_FAKE_PORT),
      path: incoming.url,
      method: incoming.method,
      headers: incoming.headers,
    },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        if (incoming.method === 'POST' && incoming.url === '/v1/payment_intents') process.kill(process.pid, 'SIGKILL');
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
      });
    },
  );
  incoming.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

const pair = await generateKeyPair('EdDSA', { extractable: true });
const kid = randomUUID();
const keyRing = { jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' }] } };
const token = await new SignJWT({ role: 'attendee', sid: randomUUID() })
  .setProtectedHeader({ alg: 'EdDSA', kid })
  .setSubject(env.USER_ID as string)
  .setIssuer(accessTokenIssuer)
  .setAudience(accessTokenAudience)
  .setIssuedAt()
  .setJti(randomUUID())
  .setExpirationTime('15m')
  .sign(pair.privateKey);

const config = parseConfig(commonConfig, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: env.DATABASE_URL });
const host = await hostServices({
  services: [
    createPaymentsService({
      mode: 'fake',
      stripe: {
        secretKey: env.STRIPE_SECRET_KEY as string,
        publishableKey: env.STRIPE_PUBLISHABLE_KEY as string,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET as string,
        host: '127.0.0.1',
        port: (proxy.address() as AddressInfo).port,
        protocol: 'http',
      },
      jobs: { intervalMs: 3_600_000, stuckAfterMs: 3_600_000 },
    }),
  ],
  config: { ...config, DATABASE_URL: env.DATABASE_URL as string },
  transport: createInProcessTransport(),
  logger: createLogger({ service: 'crash-fixture', level: 'silent' }),
  registry: createMetricsRegistry(),
  verifier: createTokenVerifier({ jwks: () => keyRing.jwks }),
  keyRing,
});
await host.app.inject({
  method: 'POST',
  url: '/api/payments/intents',
  headers: { authorization: `Bearer ${token}` },
  payload: { registrationId: env.REGISTRATION_ID },
});
// Reaching this line means the crash never happened; the test fails on the exit code.
process.exit(3);
