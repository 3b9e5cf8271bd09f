import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { registerUser } from '../commands/register-user';
import { Email, NewPassword, PersonName, SignedIn, toSignedIn } from './identity.schema';
import { type AccountLimit, ipLimit } from './rate-limits';
import { setRefreshCookie } from './refresh-cookie';

const Body = z.object({
  email: Email,
  password: NewPassword,
  firstName: PersonName,
  lastName: PersonName,
  role: z.enum(['organizer', 'attendee']),
});

export function registerRoute(
  app: HttpApp,
  deps: IdentityDeps,
  options: { rateLimits: boolean; perAccount: AccountLimit },
) {
  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['identity'],
        summary:
          'Create an account (organizer or attendee) and sign in; the refresh token is also set as an HttpOnly cookie',
        body: Body,
        response: { 201: SignedIn },
      },
      config: ipLimit(options.rateLimits, 'register'),
      preHandler: (request, reply) => options.perAccount(request, reply, request.body.email),
    },
    async (request, reply) => {
      const result = await registerUser(deps, request.body, deps.clock());
      setRefreshCookie(reply, result.refreshToken);
      reply.status(201);
      return toSignedIn(result);
    },
  );
}
