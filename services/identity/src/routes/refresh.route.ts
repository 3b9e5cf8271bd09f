import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { refreshSession } from '../commands/refresh-session';
import { OpaqueToken, SessionTokens } from './identity.schema';
import { type AccountLimit, ipLimit } from './rate-limits';
import { clearRefreshCookie, presentedRefreshToken, refreshCookie, setRefreshCookie } from './refresh-cookie';

// A browser relying on the cookie may send no body at all (Fastify reads it as null).
const Body = z.object({ refreshToken: OpaqueToken.optional() }).nullish();

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
        description: `The token comes from the body, or else from the \`${refreshCookie.name}\` cookie, which needs the \`${refreshCookie.csrfHeader}\` header and a same-origin request (403 otherwise). The new token is set in the cookie too, and is in the body only for a token that came in the body.`,
        body: Body,
        response: {
          200: SessionTokens.partial({ refreshToken: true }).describe(
            'refreshToken is left out when the token came from the cookie: it is in the new cookie, out of reach of page scripts',
          ),
        },
      },
      config: ipLimit(options.rateLimits, 'refresh'),
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body?.refreshToken, deps.publicUrl);
      try {
        const session = await refreshSession(
          deps,
          {
            refreshToken: presented.token,
            // The body names no account; the token's owner is known only once it is looked up.
            admit: (userId) => options.perAccount(request, reply, userId),
          },
          deps.clock(),
        );
        setRefreshCookie(reply, session.refreshToken);
        // A script injected into the page could call this route itself: the body must not hand it the token.
        if (presented.from === 'cookie') return { accessToken: session.accessToken, expiresIn: session.expiresIn };
        return session;
      } catch (error) {
        // A dead cookie would otherwise be sent, and refused, on every page load.
        if (presented.from === 'cookie' && (error as { code?: string }).code === 'invalid_token') {
          clearRefreshCookie(reply);
        }
        throw error;
      }
    },
  );
}
