import type { Kysely } from '@echoplex/db';
import { listen } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import { defaultMailFrom, type MailMessage, openMailer } from '@echoplex/mailer';
import cookie from '@fastify/cookie';
import type { IdentityDeps } from './commands/identity-deps';
import { restoreRevocations } from './commands/restore-revocations';
import { loadSigningKeys, type SigningKeys } from './commands/signing-keys';
import type { IdentityConfig } from './config';
import { migrations } from './db/migrations';
import type { IdentityDb } from './db/schema';
import { PasswordHasher, type PasswordHashParameters } from './domain/password-hashing';
import { LoginFailureRepository } from './repositories/login-failure.repository';
import { PasswordResetRepository } from './repositories/password-reset.repository';
import { RefreshTokenRepository } from './repositories/refresh-token.repository';
import { SigningKeyRepository, signingKeysChannel } from './repositories/signing-key.repository';
import { UserRepository } from './repositories/user.repository';
import { changePasswordRoute } from './routes/change-password.route';
import { devMailboxRoute } from './routes/dev-mailbox.route';
import { forgotPasswordRoute } from './routes/forgot-password.route';
import { jwksRoute } from './routes/jwks.route';
import { loginRoute } from './routes/login.route';
import { logoutRoute } from './routes/logout.route';
import { meRoute } from './routes/me.route';
import { accountLimit, loginAttempts } from './routes/rate-limits';
import { refreshRoute } from './routes/refresh.route';
import { registerRoute } from './routes/register.route';
import { resetPasswordRoute } from './routes/reset-password.route';
import { updateMeRoute } from './routes/update-me.route';

export interface IdentityOptions extends Partial<IdentityConfig> {
  /** Only for tests that need hashes made with other parameters than production's. */
  passwordHashParameters?: PasswordHashParameters;
  /** Only for tests that need the hashing queue to fill up with a few requests. */
  maxConcurrentHashes?: number;
}

async function identityPlugin(app: HttpApp, ctx: ServiceContext, options: IdentityOptions): Promise<void> {
  const db = ctx.db as Kysely<IdentityDb>;

  const signingKeyRepository = new SigningKeyRepository(db);
  let keys: SigningKeys = await loadSigningKeys(signingKeyRepository, ctx.clock());
  ctx.keyRing.jwks = keys.jwks;
  const reloadKeys = async () => {
    try {
      keys = await loadSigningKeys(signingKeyRepository, ctx.clock());
      ctx.keyRing.jwks = keys.jwks;
    } catch (error) {
      ctx.log.error({ err: error }, 'reloading signing keys failed; keeping the current ones');
    }
  };
  // A rotation (by any instance or the rotate command) notifies; reconnecting catches up on missed ones.
  const keyListener = await listen(ctx.databaseUrl, signingKeysChannel, reloadKeys, reloadKeys);

  const mailer = await openMailer({
    smtpUrl: options.SMTP_URL,
    from: options.MAIL_FROM ?? defaultMailFrom,
    db,
    production: ctx.config.NODE_ENV === 'production',
  });
  if (mailer.mode === 'discard') ctx.log.warn('SMTP_URL is not set: password reset emails are not sent');
  const mailInFlight = new Set<Promise<void>>();
  const sendMail = (message: MailMessage) => {
    const sending = mailer
      .send(message)
      // Only the subject: the body holds a reset token and the address is personal data.
      .catch((error) =>
        ctx.log.error({ err: { message: (error as Error).message }, subject: message.subject }, 'mail failed'),
      )
      .finally(() => mailInFlight.delete(sending));
    mailInFlight.add(sending);
  };

  app.addHook('onClose', async () => {
    await keyListener.close();
    await Promise.allSettled([...mailInFlight]);
    await mailer.close();
  });

  const hasher = new PasswordHasher(
    options.passwordHashParameters,
    options.maxConcurrentHashes,
    options.PASSWORD_HASH_QUEUE,
  );
  const deps: IdentityDeps = {
    db,
    outbox: ctx.outbox,
    users: new UserRepository(db),
    refreshTokens: new RefreshTokenRepository(db),
    passwordResets: new PasswordResetRepository(db),
    hasher,
    dummyHash: await hasher.dummyHash(),
    signingKey: () => keys.current,
    sendMail,
    publicUrl: ctx.config.PUBLIC_URL ?? `http://localhost:${ctx.config.PORT}`,
    clock: ctx.clock,
    log: ctx.log,
  };

  // The SPA's refresh token travels in a cookie (routes/refresh-cookie.ts); parsed here, for identity's routes only.
  await app.register(cookie);
  if (ctx.transport.kind === 'in-process') await restoreRevocations(deps, ctx.verifier.revocations, ctx.clock());

  const rateLimits = ctx.config.RATE_LIMITS === 'on';
  registerRoute(app, deps, { rateLimits, perAccount: accountLimit(app, rateLimits, 'register') });
  loginRoute(app, deps, { rateLimits, attempts: loginAttempts(new LoginFailureRepository(db), rateLimits, ctx.clock) });
  refreshRoute(app, deps, { rateLimits, perAccount: accountLimit(app, rateLimits, 'refresh') });
  logoutRoute(app, deps);
  forgotPasswordRoute(app, deps, { rateLimits, perAccount: accountLimit(app, rateLimits, 'forgot') });
  resetPasswordRoute(app, deps);
  meRoute(app, deps);
  updateMeRoute(app, deps);
  changePasswordRoute(app, deps, { rateLimits, perAccount: accountLimit(app, rateLimits, 'changePassword') });
  jwksRoute(app, () => keys);
  if (ctx.config.NODE_ENV !== 'production') devMailboxRoute(app, mailer);
}

/** The identity service; `main.ts` (and a host that reads SMTP settings) passes its parsed `identityConfig`. */
export function createIdentityService(options: IdentityOptions = {}): ServiceDefinition {
  return {
    name: 'identity',
    schema: 'identity',
    migrations,
    routes: ['/api/auth', '/api/users', '/.well-known', '/api/dev/mailbox'],
    devMailbox: 'read-write',
    plugin: (app, ctx) => identityPlugin(app, ctx, options),
  };
}

export const identityService: ServiceDefinition = createIdentityService();
