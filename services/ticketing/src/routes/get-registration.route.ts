import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { readRegistration } from '../queries/registration-reads';
import type { TicketingContext } from '../ticketing-context';
import { Registration, RegistrationParams } from './schemas';

export function getRegistrationRoute(app: HttpApp, ctx: TicketingContext) {
  app.get(
    '/api/registrations/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: 'One registration (its owner or the organizer of its event)',
        params: RegistrationParams,
        response: { 200: Registration },
      },
    },
    async (request) => readRegistration(ctx, requireUser(request), request.params.id),
  );
}
