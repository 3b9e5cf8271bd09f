import type { EchoplexApi } from '../../api/echoplex-api';
import type { EchoEvent, Registration } from '../../api/types';

export interface RegistrationContext {
  events: Record<string, EchoEvent>;
  ticketTypeNames: Record<string, string>;
}

/** Registrations carry ids only: fetch each event and its ticket types once for the names. */
export async function lookUpEvents(api: EchoplexApi, registrations: Registration[]): Promise<RegistrationContext> {
  const eventIds = [...new Set(registrations.map((registration) => registration.eventId))];
  const events: Record<string, EchoEvent> = {};
  const ticketTypeNames: Record<string, string> = {};
  await Promise.all(
    eventIds.map(async (eventId) => {
      const [event, ticketTypes] = await Promise.all([
        api.events.get(eventId).catch(() => null),
        api.ticketing.ticketTypes(eventId).catch(() => []),
      ]);
      if (event) events[eventId] = event;
      for (const ticketType of ticketTypes) ticketTypeNames[ticketType.id] = ticketType.name;
    }),
  );
  return { events, ticketTypeNames };
}
