import type { Logger } from '@echoplex/telemetry';

/** What a process is, for the start-up checks of production mode. */
export interface ProductionProfile {
  /** It takes payments: without real Stripe keys it would charge through the in-repo fake. */
  takesPayments?: boolean;
  /** It would start the embedded PostgreSQL (no DATABASE_URL). */
  embeddedDatabase?: boolean;
}

/** Credentials anybody can guess: defaults of images, tutorials and the embedded server. */
const guessablePasswords = new Set(['', 'postgres', 'password', 'changeme', 'secret', 'admin', 'root', 'echoplex']);

/** The in-repo Stripe fake's keys are public constants: nothing signed with them proves anything. */
const fakeStripeSecrets = new Set([
  'sk_test_echoplex_fake_secret_key',
  'pk_test_echoplex_fake_publishable_key',
  'whsec_echoplex_fake_webhook_secret',
]);

const stripeVariables = ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'];

const minimumTokenLength = 24;

/**
 * Why this process must not start with `NODE_ENV=production`, one sentence per problem naming the
 * variables to set; empty when it may. Outside production nothing is refused.
 */
export function productionRefusals(env: NodeJS.ProcessEnv, profile: ProductionProfile): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const refusals: string[] = [];

  if (profile.takesPayments) {
    const missing = stripeVariables.filter((name) => !env[name]);
    if (missing.length > 0) {
      refusals.push(`fake payments are refused in production: set ${missing.join(', ')}`);
    }
    const fake = stripeVariables.filter((name) => fakeStripeSecrets.has(env[name] ?? ''));
    if (fake.length > 0) refusals.push(`${fake.join(', ')} hold the in-repo fake's public keys`);
    if (env.STRIPE_API_URL) refusals.push('STRIPE_API_URL points payments at a Stripe stand-in: unset it');
  }

  if (profile.embeddedDatabase) {
    if (env.ALLOW_EMBEDDED_DATABASE !== 'true') {
      refusals.push(
        'the embedded PostgreSQL is refused in production: set DATABASE_URL (or ALLOW_EMBEDDED_DATABASE=true)',
      );
    } else if (guessablePasswords.has(env.EMBEDDED_POSTGRES_PASSWORD ?? '')) {
      refusals.push(
        'the embedded PostgreSQL needs a password of its own in production: set EMBEDDED_POSTGRES_PASSWORD',
      );
    }
  } else if (env.DATABASE_URL && weakDatabaseCredentials(env.DATABASE_URL)) {
    refusals.push('DATABASE_URL has a default or guessable password (such as the role name): give the role a real one');
  }

  if (env.SEED === 'on') refusals.push('SEED=on would create demo accounts with a public password: unset SEED');
  if (env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN.length < minimumTokenLength) {
    refusals.push(`METRICS_TOKEN is too short: use at least ${minimumTokenLength} random characters`);
  }
  return refusals;
}

/** A password equal to the role's name (how roles are made for local runs) or a well-known default. */
export function weakDatabaseCredentials(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Without a password in the URL the client uses PGPASSWORD, a password file or the server's own rules.
  if (!parsed.password) return false;
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return password === user || guessablePasswords.has(password.toLowerCase());
}

/**
 * Stops a process that production mode refuses: one fatal log line naming every problem, exit code 1.
 * Returns when there is nothing to refuse.
 */
export function exitIfUnsafeForProduction(env: NodeJS.ProcessEnv, profile: ProductionProfile, log: Logger): void {
  const refusals = productionRefusals(env, profile);
  if (refusals.length === 0) return;
  log.fatal({ refusals }, `refusing to start in production: ${refusals.join('; ')}`);
  process.exit(1);
}
