import type { EventState } from '@echoplex/contracts';
import { expect } from 'vitest';
import { eventState, type Ticketing } from './ticketing-harness';

export interface TicketTypeSpec {
  name?: string;
  price?: number;
  currency?: string;
  quantity?: number;
  salesStart?: string | null;
  salesEnd?: string | null;
  minPerOrder?: number;
  maxPerOrder?: number;
  description?: string;
}

export type User = Awaited<ReturnType<Ticketing['auth']['user']>>;

/** An organizer's published event, known to ticketing's read model, with the ticket types asked for. */
export async function publishedEvent(
  t: Ticketing,
  options: { event?: Partial<EventState>; ticketTypes?: TicketTypeSpec[] } = {},
) {
  const organizer = await t.auth.user('organizer');
  const state = eventState({ organizerId: organizer.userId, ...options.event }, t.clock);
  await t.publishEvent('event.created', state);
  const ticketTypes: { id: string; [key: string]: unknown }[] = [];
  for (const spec of options.ticketTypes ?? [{}]) {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/events/${state.eventId}/tickets`,
      headers: organizer.headers,
      payload: { name: 'General admission', price: 0, currency: 'eur', quantity: 10, ...spec },
    });
    expect(response.statusCode, response.body).toBe(201);
    ticketTypes.push(response.json());
  }
  return { organizer, state, eventId: state.eventId, ticketTypes };
}

export function register(
  t: Ticketing,
  user: User,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    headers: { ...user.headers, ...headers },
    payload: { quantity: 1, ...body },
  });
}

/** The seat counters as the database holds them, next to what the registrations add up to. */
export async function seatAccounts(t: Ticketing, eventId: string) {
  const event = await t.db
    .selectFrom('events')
    .select(['capacity', 'taken'])
    .where('id', '=', eventId)
    .executeTakeFirstOrThrow();
  const ticketTypes = await t.db
    .selectFrom('ticketTypes')
    .select(['id', 'quantity', 'sold'])
    .where('eventId', '=', eventId)
    .execute();
  const active = await t.db
    .selectFrom('registrations')
    .select([
      'ticketTypeId',
      (eb) => eb.fn.sum<number>('quantity').as('seats'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('eventId', '=', eventId)
    .where('status', 'in', ['pending', 'confirmed'])
    .groupBy('ticketTypeId')
    .execute();
  const tickets = await t.db
    .selectFrom('tickets')
    .innerJoin('registrations', 'registrations.id', 'tickets.registrationId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('registrations.eventId', '=', eventId)
    .where('registrations.status', 'in', ['pending', 'confirmed'])
    .executeTakeFirstOrThrow();
  const heldByType = new Map(active.map((row) => [row.ticketTypeId, Number(row.seats)]));
  return {
    event,
    ticketTypes,
    heldByType,
    heldTotal: [...heldByType.values()].reduce((sum, seats) => sum + seats, 0),
    activeTickets: Number(tickets.n),
  };
}
