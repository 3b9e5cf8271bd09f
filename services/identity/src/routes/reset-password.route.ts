import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { resetPassword } from '../commands/reset-password';
import { NewPassword, OpaqueToken } from './identity.schema';

const Body = z.object({ token: OpaqueToken, password: NewPassword });

export function resetPasswordRoute(app: HttpApp, deps: IdentityDeps) {
  app.post(
    '/api/auth/password/reset',
    {
      schema: {
        tags: ['identity'],
        summary: 'Set a new password with a reset token; signs out every session',
        body: Body,
      },
    },
    async (request, reply) => {
      await resetPassword(deps, request.body, deps.clock());
      reply.status(204).send();
    },
  );
}
