import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { refreshSession } from '../commands/refresh-session';
import { OpaqueToken, SessionTokens } from './identity.schema';
import { type AccountLimit, ipLimit } from './rate-limits';

const Body = z.object({ refreshToken: OpaqueToken });

export function refreshRoute(
  app: HttpApp,
  deps: IdentityDeps,
  options: { rateLimits: boolean; perAccount: AccountLimit },
) {
  app.post(
    '/api/auth/refresh',
    {
      schema: {
        tags: ['identity'],
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        body: Body,
        response: { 200: SessionTokens },
      },
      config: ipLimit(options.rateLimits, 'refresh'),
    },
    async (request, reply) =>
      refreshSession(
        deps,
        {
          refreshToken: request.body.refreshToken,
          // The body names no account; the token's owner is known only once it is looked up.
          admit: (userId) => options.perAccount(request, reply, userId),
        },
        deps.clock(),
      ),
  );
}
