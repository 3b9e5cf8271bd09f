import { sampleEvents } from '@echoplex/events/seed';
import type { HttpApp } from '@echoplex/http';
import type { Logger } from '@echoplex/telemetry';
import { faker } from '@faker-js/faker';

/** Demo accounts a newcomer can sign in with; printed by `npm start` outside production. */
export const demoAccounts = {
  organizers: [
    { email: 'ada@organizer.echoplex.dev', firstName: 'Ada', lastName: 'Keller' },
    { email: 'marco@organizer.echoplex.dev', firstName: 'Marco', lastName: 'Rossi' },
    { email: 'lena@organizer.echoplex.dev', firstName: 'Lena', lastName: 'Novak' },
  ],
  attendee: { email: 'sam@attendee.echoplex.dev', firstName: 'Sam', lastName: 'Taylor' },
  password: 'echoplex-demo-2027',
};

const eventsPerOrganizer = 8;

type Inject = (request: {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}) => Promise<{
  statusCode: number;
  body: string;
  json(): any;
}>;

interface OwnEvent {
  id: string;
  name: string;
  status: string;
}

/**
 * Fills the platform with realistic organizers, events and ticket types through the public API (the
 * same validation, outbox events and read models as real traffic). Every step first looks whether it
 * was done, so a start interrupted half-way (Ctrl-C while seeding) is completed by the next one.
 * Returns whether anything was created.
 */
export async function seedPlatform(app: HttpApp, log: Logger): Promise<boolean> {
  const inject = app.inject.bind(app) as unknown as Inject;
  const call = async (method: string, url: string, payload?: unknown, token?: string, expected = [200, 201, 204]) => {
    const response = await inject({
      method,
      url,
      payload: payload as never,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!expected.includes(response.statusCode)) {
      throw new Error(`seed: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
    }
    return { status: response.statusCode, body: response.statusCode === 204 ? undefined : response.json() };
  };
  let created = 0;

  /** Registers the account, or signs in to it when an earlier start registered it already. */
  const account = async (person: { email: string; firstName: string; lastName: string }, role: string) => {
    const registered = await call(
      'POST',
      '/api/auth/register',
      { ...person, password: demoAccounts.password, role },
      undefined,
      [201, 409],
    );
    if (registered.status === 201) {
      created++;
      return registered.body.accessToken as string;
    }
    const signedIn = await call('POST', '/api/auth/login', { email: person.email, password: demoAccounts.password });
    return signedIn.body.accessToken as string;
  };

  // The attendee first: the one account every walkthrough needs, and the cheapest to make.
  await account(demoAccounts.attendee, 'attendee');

  faker.seed(2027);
  const events = sampleEvents(faker, demoAccounts.organizers.length * eventsPerOrganizer);
  for (const [position, organizer] of demoAccounts.organizers.entries()) {
    const token = await account(organizer, 'organizer');
    const existing: OwnEvent[] = (await call('GET', '/api/events?mine=true&limit=100', undefined, token)).body.items;
    for (let slot = 0; slot < eventsPerOrganizer; slot++) {
      const index = position * eventsPerOrganizer + slot + 1;
      const input = events[index - 1];
      if (!input) break;
      const found = existing.findIndex((event) => event.name === input.name);
      let event: OwnEvent;
      if (found >= 0) {
        event = existing.splice(found, 1)[0] as OwnEvent;
      } else {
        event = (await call('POST', '/api/events', input, token)).body;
        created++;
      }
      const tickets = ticketTypesFor(input.capacity, index);
      // Ticketing learns about a new event from the bus: wait for its read model.
      const listed: { name: string }[] = await retryUntilKnown(
        async () => (await call('GET', `/api/events/${event.id}/tickets`, undefined, token)).body.items,
      );
      for (const ticket of tickets.filter((wanted) => !listed.some((have) => have.name === wanted.name))) {
        await retryUntilKnown(() => call('POST', `/api/events/${event.id}/tickets`, ticket, token));
        created++;
      }
      // One in eight stays a draft so organizers see the whole lifecycle.
      if (index % eventsPerOrganizer !== 0 && event.status === 'draft') {
        await call('POST', `/api/events/${event.id}/publish`, undefined, token);
      }
    }
  }
  if (created > 0) log.info({ created }, 'sample data created');
  return created > 0;
}

function ticketTypesFor(capacity: number, index: number) {
  const general = Math.max(1, Math.floor(capacity * 0.8));
  const free = index % 3 === 0;
  return [
    {
      name: free ? 'Free admission' : 'General admission',
      description: 'Entry to the whole event.',
      price: free ? 0 : 1500 + (index % 5) * 500,
      currency: 'eur',
      quantity: general,
      maxPerOrder: 6,
    },
    {
      name: 'VIP',
      description: 'Reserved seating and a welcome drink.',
      price: 6900 + (index % 4) * 1000,
      currency: 'eur',
      quantity: Math.max(1, capacity - general),
      maxPerOrder: 2,
    },
  ];
}

async function retryUntilKnown<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 50 || !/answered 404/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
