import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { requestPasswordReset } from '../commands/request-password-reset';
import { Email } from './identity.schema';
import { type AccountLimit, ipLimit } from './rate-limits';

const Body = z.object({ email: Email });

export function forgotPasswordRoute(
  app: HttpApp,
  deps: IdentityDeps,
  options: { rateLimits: boolean; perAccount: AccountLimit },
) {
  app.post(
    '/api/auth/password/forgot',
    {
      schema: {
        tags: ['identity'],
        summary: 'Email a password reset link (always 202, whether or not the account exists)',
        body: Body,
      },
      config: ipLimit(options.rateLimits, 'forgot'),
      preHandler: (request, reply) => options.perAccount(request, reply, request.body.email),
    },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body, deps.clock());
      reply.status(202).send();
    },
  );
}
