import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { logOut } from '../commands/log-out';
import { OpaqueToken } from './identity.schema';

const Body = z.object({ refreshToken: OpaqueToken });

export function logoutRoute(app: HttpApp, deps: IdentityDeps) {
  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'End the session of a refresh token', body: Body } },
    async (request, reply) => {
      await logOut(deps, request.body, deps.clock());
      reply.status(204).send();
    },
  );
}
