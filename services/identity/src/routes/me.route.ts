import { type HttpApp, problems, requireUser } from '@echoplex/http';
import type { IdentityDeps } from '../commands/identity-deps';
import { toUser, User } from './identity.schema';

export function meRoute(app: HttpApp, deps: IdentityDeps) {
  app.get(
    '/api/users/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The signed-in user',
        security: [{ bearer: [] }],
        response: { 200: User },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const user = await deps.users.findById(userId);
      // A valid token for an account that does not exist here is no sign-in at all.
      if (!user) throw problems.unauthorized('The account of this token does not exist.');
      return toUser(user);
    },
  );
}
