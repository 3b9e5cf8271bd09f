import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { cancelRegistration } from '../commands/cancel-registration';
import type { TicketingContext } from '../ticketing-context';
import { Registration, RegistrationParams } from './schemas';

export function cancelRegistrationRoute(app: HttpApp, ctx: TicketingContext) {
  app.post(
    '/api/registrations/:id/cancel',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: 'Cancel a registration; a paid, confirmed one is refunded',
        description:
          "409 `refund_window_closed` for a paid registration after the event's `refundPolicy.selfServiceUntil`, and for any registration with a checked-in ticket; the organizer can still refund.",
        params: RegistrationParams,
        response: { 200: Registration },
      },
    },
    async (request) => cancelRegistration(ctx, requireUser(request), request.params.id),
  );
}
