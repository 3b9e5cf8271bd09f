import { type Principal, problems } from '@echoplex/http';
import type { RegistrationStatus } from '../db/schema';
import { decodeCursor, encodeCursor } from '../domain/cursor';
import type { TicketingContext } from '../ticketing-context';
import { type RegistrationView, registrationViews } from './views';

export interface RegistrationPage {
  items: RegistrationView[];
  nextCursor: string | null;
}

/** A registration is visible to its owner and to the organizer of its event; to anyone else it does not exist. */
export async function readRegistration(
  ctx: TicketingContext,
  principal: Principal,
  registrationId: string,
): Promise<RegistrationView> {
  const registration = await ctx.registrations.find(registrationId);
  if (!registration) throw problems.notFound('The registration');
  if (registration.userId !== principal.userId) {
    const event = await ctx.events.find(registration.eventId);
    if (event?.organizerId !== principal.userId) throw problems.notFound('The registration');
  }
  const [view] = await registrationViews([registration], (ids) => ctx.registrations.ticketsOf(ids));
  return view as RegistrationView;
}

export async function listRegistrations(
  ctx: TicketingContext,
  filter: {
    userId?: string;
    eventId?: string;
    status?: RegistrationStatus;
    query?: string;
    cursor?: string;
    limit: number;
  },
): Promise<RegistrationPage> {
  const rows = await ctx.registrations.list({
    ...filter,
    after: decodeCursor(filter.cursor),
    order: 'newest',
    limit: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: await registrationViews(page, (ids) => ctx.registrations.ticketsOf(ids)),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
  };
}
