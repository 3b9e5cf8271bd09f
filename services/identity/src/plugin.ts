import type { Kysely } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import { loadSigningKeys } from './commands/signing-keys';
import { migrations } from './db/migrations';
import type { IdentityDb } from './db/schema';
import { SigningKeyRepository } from './repositories/signing-key.repository';
import { jwksRoute } from './routes/jwks.route';

async function identityPlugin(app: HttpApp, ctx: ServiceContext): Promise<void> {
  const db = ctx.db as Kysely<IdentityDb>;
  const signingKeyRepository = new SigningKeyRepository(db);
  const keys = await loadSigningKeys(signingKeyRepository);
  ctx.keyRing.jwks = keys.jwks;

  jwksRoute(app, () => keys);
}

export const identityService: ServiceDefinition = {
  name: 'identity',
  schema: 'identity',
  migrations,
  routes: ['/api/auth', '/api/users', '/.well-known', '/api/dev/mailbox'],
  plugin: identityPlugin,
};
