import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { changePassword } from '../commands/change-password';
import type { IdentityDeps } from '../commands/identity-deps';
import { NewPassword, PresentedPassword } from './identity.schema';
import { type AccountLimit, ipLimit } from './rate-limits';

const Body = z.object({ currentPassword: PresentedPassword, newPassword: NewPassword });

export function changePasswordRoute(
  app: HttpApp,
  deps: IdentityDeps,
  options: { rateLimits: boolean; perAccount: AccountLimit },
) {
  app.post(
    '/api/users/me/password',
    {
      onRequest: signedIn,
      schema: {
        tags: ['identity'],
        summary: 'Change the password; other sessions are signed out',
        security: [{ bearer: [] }],
        body: Body,
      },
      config: ipLimit(options.rateLimits, 'changePassword'),
      preHandler: (request, reply) => options.perAccount(request, reply, requireUser(request).userId),
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      await changePassword(
        deps,
        { userId, sessionId: sessionOf(request.headers.authorization), ...request.body },
        deps.clock(),
      );
      reply.status(204).send();
    },
  );
}

/** The `sid` claim of the bearer token, which the authentication hook has already verified. */
function sessionOf(authorization: string | undefined): string | undefined {
  const token = authorization?.split(' ')[1];
  if (!token) return undefined;
  const { sid } = decodeJwt(token);
  return typeof sid === 'string' ? sid : undefined;
}
