import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { listRegistrations } from '../queries/registration-reads';
import type { TicketingContext } from '../ticketing-context';
import { ListQuery, Page, Registration, RegistrationStatus } from './schemas';

export function listMyRegistrationsRoute(app: HttpApp, ctx: TicketingContext) {
  app.get(
    '/api/registrations',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: "The caller's registrations, newest first",
        querystring: ListQuery.extend({ status: RegistrationStatus.optional(), eventId: z.uuid().optional() }),
        response: { 200: Page(Registration) },
      },
    },
    async (request) => {
      const principal = requireUser(request);
      return listRegistrations(ctx, { ...request.query, userId: principal.userId });
    },
  );
}
