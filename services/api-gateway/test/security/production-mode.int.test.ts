import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createTestDatabase, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccounts } from '../../src/seed';

// The platform as users start it (`npm start`, a service's own main.ts) in its own process with
// NODE_ENV=production, on the real PostgreSQL of the test run.
const embeddedMain = resolve(import.meta.dirname, '../../src/main.ts');
const paymentsMain = resolve(import.meta.dirname, '../../../payments/src/main.ts');

const stripeKeys = {
  STRIPE_SECRET_KEY: 'sk_test_51ProductionModeTestKeyNotUsedForCalls',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_51ProductionModeTestKeyNotUsedForCalls',
  STRIPE_WEBHOOK_SECRET: 'whsec_production_mode_test_secret_0123456789',
};
const metricsToken = 'metrics-token-for-the-production-test';

/** The parent's environment without anything that would choose for the child what the test chooses. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (/^(STRIPE_|SEED$|DATABASE_URL$|KAFKA_BROKERS$|METRICS_|ALLOW_EMBEDDED|EMBEDDED_POSTGRES)/.test(name)) {
      delete inherited[name];
    }
  }
  return { ...inherited, LOG_LEVEL: 'info', PORT: '0', ...env };
}

/** Runs an entry point that should refuse to start: its exit code and everything it printed. */
function runUntilExit(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      failed(new Error(`${entry} did not exit; it printed:\n${output}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** The one fatal log line production mode prints when it refuses to start. */
function refusal(output: string): string {
  const lines = output.split('\n').filter((line) => line.includes('refusing to start in production'));
  expect(lines, output).toHaveLength(1);
  return lines[0] as string;
}

describe('production mode refuses to start', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'production_refusals');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('the platform without Stripe keys, naming the missing variables', async () => {
    const { code, output } = await runUntilExit(embeddedMain, { NODE_ENV: 'production', DATABASE_URL: database.url });
    expect(code).not.toBe(0);
    const line = refusal(output);
    expect(line).toContain('STRIPE_SECRET_KEY');
    expect(line).toContain('STRIPE_WEBHOOK_SECRET');
    expect(output).not.toContain('is running');
  });

  it('the payments service on its own without Stripe keys', async () => {
    const { code, output } = await runUntilExit(paymentsMain, { NODE_ENV: 'production', DATABASE_URL: database.url });
    expect(code).not.toBe(0);
    expect(refusal(output)).toContain('STRIPE_SECRET_KEY');
  });

  it('the embedded PostgreSQL unless ALLOW_EMBEDDED_DATABASE=true', async () => {
    const { code, output } = await runUntilExit(embeddedMain, { NODE_ENV: 'production', ...stripeKeys });
    expect(code).not.toBe(0);
    expect(refusal(output)).toContain('ALLOW_EMBEDDED_DATABASE');
  });

  it('a database role whose password is its name', async () => {
    const weak = new URL(database.url);
    weak.username = 'identity_svc';
    weak.password = 'identity_svc';
    const { code, output } = await runUntilExit(embeddedMain, {
      NODE_ENV: 'production',
      DATABASE_URL: weak.toString(),
      ...stripeKeys,
    });
    expect(code).not.toBe(0);
    expect(refusal(output)).toContain('DATABASE_URL');
  });

  it('seeding, and the fake Stripe’s public webhook secret', async () => {
    const { code, output } = await runUntilExit(embeddedMain, {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      ...stripeKeys,
      STRIPE_WEBHOOK_SECRET: 'whsec_echoplex_fake_webhook_secret',
      SEED: 'on',
    });
    expect(code).not.toBe(0);
    const line = refusal(output);
    expect(line).toContain('SEED=on');
    expect(line).toContain('STRIPE_WEBHOOK_SECRET');
  });
});

describe('production mode with its keys', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'production_mode');
    server = await startServerProcess(embeddedMain, {
      ...(cleanEnv({}) as Record<string, string>),
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      WEB_DIST: '/nonexistent',
      METRICS_TOKEN: metricsToken,
      ...stripeKeys,
    });
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  it('starts, takes payments through Stripe, and says it is in production', async () => {
    const config = await fetch(`${server.baseUrl}/api/payments/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toEqual({ publishableKey: stripeKeys.STRIPE_PUBLISHABLE_KEY, mode: 'stripe' });
    await expect.poll(() => server.output()).toContain('Production mode');
    expect(server.output()).not.toContain(demoAccounts.password);
  });

  it('has no /api/dev route at all', async () => {
    for (const [method, path] of [
      ['GET', '/api/dev/mailbox?to=ada@organizer.echoplex.dev'],
      ['POST', '/api/dev/stripe/confirm'],
      ['GET', '/api/dev/anything'],
    ] as const) {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST'
          ? { body: JSON.stringify({ paymentIntentId: 'pi_1', paymentMethod: 'pm_card_visa' }) }
          : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });

  it('has no demo accounts', async () => {
    for (const email of [demoAccounts.organizers[0]?.email, demoAccounts.attendee.email]) {
      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: demoAccounts.password }),
      });
      expect(login.status).toBe(401);
    }
  });

  it('serves /metrics only with the token', async () => {
    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_request_duration_seconds');
  });
});
