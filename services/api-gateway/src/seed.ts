import { sampleEvents } from '@echoplex/events/seed';
import type { HttpApp } from '@echoplex/http';
import type { Logger } from '@echoplex/telemetry';
import { faker } from '@faker-js/faker';

/** Demo accounts a newcomer can sign in with; printed by `npm start` when it seeds. */
export const demoAccounts = {
  organizers: [
    { email: 'ada@organizer.echoplex.dev', firstName: 'Ada', lastName: 'Keller' },
    { email: 'marco@organizer.echoplex.dev', firstName: 'Marco', lastName: 'Rossi' },
    { email: 'lena@organizer.echoplex.dev', firstName: 'Lena', lastName: 'Novak' },
  ],
  attendee: { email: 'sam@attendee.echoplex.dev', firstName: 'Sam', lastName: 'Taylor' },
  password: 'echoplex-demo-2027',
};

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

/**
 * Fills an empty platform with realistic organizers, events and ticket types through the public API
 * (the same validation, outbox events and read models as real traffic). Returns false when the demo
 * organizers exist already, so it is safe to run at every start.
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
    return response.statusCode === 204 ? undefined : response.json();
  };

  const first = demoAccounts.organizers[0] as (typeof demoAccounts.organizers)[number];
  const probe = await inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: first.email, password: demoAccounts.password },
  });
  if (probe.statusCode === 200) return false;

  faker.seed(2027);
  const events = sampleEvents(faker, 24);
  let index = 0;
  for (const organizer of demoAccounts.organizers) {
    const { accessToken } = await call('POST', '/api/auth/register', {
      ...organizer,
      password: demoAccounts.password,
      role: 'organizer',
    });
    for (const input of events.slice(index, index + 8)) {
      index++;
      const event = await call('POST', '/api/events', input, accessToken);
      const tickets = ticketTypesFor(input.capacity, index);
      // Ticketing learns about the new event from the bus: wait for its read model.
      for (const ticket of tickets)
        await retryUntilKnown(() => call('POST', `/api/events/${event.id}/tickets`, ticket, accessToken));
      // One in eight stays a draft so organizers see the whole lifecycle.
      if (index % 8 !== 0) await call('POST', `/api/events/${event.id}/publish`, undefined, accessToken);
    }
  }
  await call('POST', '/api/auth/register', {
    ...demoAccounts.attendee,
    password: demoAccounts.password,
    role: 'attendee',
  });
  log.info({ events: index }, 'sample data created');
  return true;
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
