import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import type { IdentityDeps } from '../commands/identity-deps';
import { updateProfile } from '../commands/update-profile';
import { PersonName, toUser, User } from './identity.schema';

const Body = z
  .object({
    firstName: PersonName.optional(),
    lastName: PersonName.optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{2,30}$/, 'must be a phone number (digits, spaces, + ( ) . -)')
      .nullable()
      .optional(),
    avatarUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullable()
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

export function updateMeRoute(app: HttpApp, deps: IdentityDeps) {
  app.patch(
    '/api/users/me',
    {
      onRequest: signedIn,
      schema: {
        tags: ['identity'],
        summary: 'Update the signed-in user’s profile',
        security: [{ bearer: [] }],
        body: Body,
        response: { 200: User },
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return toUser(await updateProfile(deps, { userId, changes: request.body }, deps.clock()));
    },
  );
}
