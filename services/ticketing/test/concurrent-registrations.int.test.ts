import type { AddressInfo } from 'node:net';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, seatAccounts } from './support/scenario';
import { messagesOf, publishedEventually, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL, Kafka (the bus the service publishes to and consumes from), a listening HTTP
// server and 300 clients on their own connections. Nothing faked; nothing asserted about timing.
describe('sale-day burst', () => {
  let t: Ticketing;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTicketing({ bus: 'kafka', env: { DATABASE_POOL_MAX: '20' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  it('sells exactly the capacity to 300 simultaneous buyers of 2 × 50 seats capped at 80, refusing the rest cleanly', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, {
      event: { capacity: 80 },
      ticketTypes: [
        { name: 'A', quantity: 50 },
        { name: 'B', quantity: 50 },
      ],
    });
    const buyers = await Promise.all(Array.from({ length: 300 }, () => t.auth.user('attendee')));
    const responses = await Promise.all(
      buyers.map(async (buyer, i) => {
        const response = await fetch(`${baseUrl}/api/registrations`, {
          method: 'POST',
          headers: { ...buyer.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ eventId, ticketTypeId: ticketTypes[i % 2]?.id, quantity: 1 }),
        });
        return { status: response.status, body: (await response.json()) as { id: string; code?: string } };
      }),
    );

    const created = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status !== 201);
    expect(created).toHaveLength(80);
    expect(refused).toHaveLength(220);
    for (const response of refused) expect(response.body).toMatchObject({ status: 409, code: 'sold_out' });
    expect(new Set(created.map((response) => response.body.id)).size).toBe(80);

    const accounts = await seatAccounts(t, eventId);
    expect(accounts.event).toEqual({ capacity: 80, taken: 80 });
    const sold = accounts.ticketTypes.map((ticketType) => ticketType.sold);
    expect(sold.reduce((sum, seats) => sum + seats, 0)).toBe(80);
    for (const ticketType of accounts.ticketTypes) {
      expect(ticketType.sold).toBeLessThanOrEqual(50);
      expect(ticketType.sold).toBe(accounts.heldByType.get(ticketType.id));
    }
    expect(accounts.heldTotal).toBe(80);
    expect(accounts.activeTickets).toBe(80);

    const availability = await (await fetch(`${baseUrl}/api/events/${eventId}/availability`)).json();
    expect(availability).toMatchObject({ capacity: 80, available: 0, soldOut: true });

    // Every committed registration reached Kafka, and the newest availability of each type says 0.
    const confirmed = await publishedEventually(t, 'registration.confirmed', (data) => data.eventId === eventId, 80);
    expect(new Set(confirmed.map((data) => data.registrationId))).toEqual(
      new Set(created.map((response) => response.body.id)),
    );
    // Partitions are consumed independently, so wait for each type's newest value to arrive.
    const newestAvailable = await eventually(
      async () =>
        ticketTypes.map((ticketType) => {
          const updates = messagesOf(
            t.published,
            'availability.changed',
            (data) => data.ticketTypeId === ticketType.id,
          );
          return updates.reduce((a, b) => (b.version > a.version ? b : a), { version: -1, available: -1 }).available;
        }),
      (values) => values.every((value) => value === 0),
    );
    expect(newestAvailable).toEqual([0, 0]);
  });
});
