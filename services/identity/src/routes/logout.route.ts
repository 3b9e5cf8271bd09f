import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { logOut } from '../commands/log-out';
import { OpaqueToken } from './identity.schema';
import { clearRefreshCookie, presentedRefreshToken, refreshCookie } from './refresh-cookie';

// A browser relying on the cookie may send no body at all (Fastify reads it as null).
const Body = z.object({ refreshToken: OpaqueToken.optional() }).nullish();

export function logoutRoute(app: HttpApp, deps: IdentityDeps) {
  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['identity'],
        summary: 'End the session of a refresh token',
        description: `The token comes from the body, or else from the \`${refreshCookie.name}\` cookie (with the \`${refreshCookie.csrfHeader}\` header, same-origin only); the cookie is cleared either way.`,
        body: Body,
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body?.refreshToken, deps.publicUrl);
      clearRefreshCookie(reply);
      await logOut(deps, { refreshToken: presented.token }, deps.clock());
      reply.status(204).send();
    },
  );
}
