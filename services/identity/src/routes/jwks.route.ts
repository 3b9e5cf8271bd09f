import type { HttpApp } from '@echoplex/http';
import type { SigningKeys } from '../commands/signing-keys';

export function jwksRoute(app: HttpApp, keys: () => SigningKeys) {
  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['identity'], summary: 'Public keys that verify access tokens' } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return keys().jwks;
    },
  );
}
