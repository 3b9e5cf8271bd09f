import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { logIn } from '../commands/log-in';
import { Email, PresentedPassword, SignedIn, toSignedIn } from './identity.schema';
import { ipLimit, type loginAttempts } from './rate-limits';
import { setRefreshCookie } from './refresh-cookie';

const Body = z.object({ email: Email, password: PresentedPassword });

export function loginRoute(
  app: HttpApp,
  deps: IdentityDeps,
  options: { rateLimits: boolean; attempts: ReturnType<typeof loginAttempts> },
) {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign in with email and password; the refresh token is also set as an HttpOnly cookie for the SPA',
        body: Body,
        response: { 200: SignedIn },
      },
      config: ipLimit(options.rateLimits, 'login'),
    },
    async (request, reply) => {
      const attempts = options.attempts(request, reply, request.body.email);
      const result = await logIn(deps, { ...request.body, attempts }, deps.clock());
      setRefreshCookie(reply, result.refreshToken);
      return toSignedIn(result);
    },
  );
}
