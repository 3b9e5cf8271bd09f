import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register, type User } from './support/scenario';
import { committedEvents, paymentFacts, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL, the service as production hosts it on the in-process bus.
describe('attendee list, CSV export and check-in', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing();
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  const attendee = (firstName: string, lastName: string, email = `${firstName.toLowerCase()}@example.com`) => ({
    firstName,
    lastName,
    email,
  });

  describe('attendee list', () => {
    it('lists registrations to the organizer with status filter and search', async () => {
      const { eventId, ticketTypes, organizer } = await publishedEvent(t, {
        ticketTypes: [{ price: 0 }, { price: 500 }],
      });
      const [free, paid] = ticketTypes.map((ticketType) => ticketType.id);
      const ada = await t.auth.user('attendee');
      const grace = await t.auth.user('attendee');
      const adaRegistration = (
        await register(t, ada, { eventId, ticketTypeId: free, attendees: [attendee('Ada', 'Lovelace')] })
      ).json();
      await register(t, grace, { eventId, ticketTypeId: paid, attendees: [attendee('Grace', 'Hopper')] });
      const list = async (query: string, headers = organizer.headers) =>
        t.app.inject({ method: 'GET', url: `/api/events/${eventId}/registrations${query}`, headers });

      expect((await list('')).json().items).toHaveLength(2);
      expect((await list('?status=pending')).json().items.map((item: { userId: string }) => item.userId)).toEqual([
        grace.userId,
      ]);
      expect((await list('?q=lovel')).json().items.map((item: { id: string }) => item.id)).toEqual([
        adaRegistration.id,
      ]);
      expect((await list(`?q=${adaRegistration.tickets[0].code}`)).json().items).toHaveLength(1);
      expect((await list('?q=nobody%25')).json().items).toHaveLength(0);
      expect((await list('', ada.headers)).statusCode).toBe(403);
      expect((await list('', (await t.auth.user('organizer')).headers)).statusCode).toBe(403);
      expect((await list('?status=lost')).statusCode).toBe(400);
    });
  });

  describe('CSV export', () => {
    it('exports one row per ticket, with formula-looking cells defused and quoting per RFC 4180', async () => {
      const { eventId, ticketTypes, organizer } = await publishedEvent(t, {
        ticketTypes: [{ name: '=HYPERLINK("http://evil")', maxPerOrder: 5 }],
      });
      const buyer = await t.auth.user('attendee');
      await register(t, buyer, {
        eventId,
        ticketTypeId: ticketTypes[0]?.id,
        quantity: 4,
        attendees: [
          attendee('=cmd|/C calc', 'Plain', 'a@example.com'),
          attendee('+SUM(A1)', 'Comma, Inc', 'b@example.com'),
          attendee('-2+3', 'Quote "Q"', 'c@example.com'),
          attendee('@import', 'Line\nbreak', '-d@example.com'),
        ],
      });
      const exported = await t.app.inject({
        method: 'GET',
        url: `/api/events/${eventId}/registrations`,
        headers: { ...organizer.headers, accept: 'text/csv' },
      });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(exported.headers['content-disposition']).toContain('attachment');
      const lines = exported.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'registration_code,ticket_code,status,ticket_type,first_name,last_name,email,user_id,price,currency,registered_at,checked_in_at',
      );
      expect(lines).toHaveLength(5);
      const cells = (line: string) => line.split(',').slice(3, 6);
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(cells(lines[1] as string)).toEqual([`"'=HYPERLINK(""http://evil"")"`, "'=cmd|/C calc", 'Plain']);
      expect(lines[2]).toContain(`'+SUM(A1),"Comma, Inc"`);
      expect(lines[3]).toContain(`'-2+3,"Quote ""Q"""`);
      expect(lines[4]).toContain(`'@import,"Line\nbreak",'-d@example.com`);

      const byQuery = await t.app.inject({
        method: 'GET',
        url: `/api/events/${eventId}/registrations?format=csv`,
        headers: organizer.headers,
      });
      expect(byQuery.body).toBe(exported.body);
    });

    it('streams a large export page by page', async () => {
      const { eventId, ticketTypes, organizer } = await publishedEvent(t, {
        event: { capacity: 3_000 },
        ticketTypes: [{ quantity: 3_000 }],
      });
      // 2,500 registrations written directly: the export, not the registration path, is under test.
      const rows = Array.from({ length: 2_500 }, (_, i) => ({
        id: crypto.randomUUID(),
        code: `EXPORT${String(i).padStart(4, '0')}`,
        userId: crypto.randomUUID(),
        eventId,
        ticketTypeId: ticketTypes[0]?.id as string,
        quantity: 1,
        status: 'confirmed' as const,
        amount: 0,
        currency: 'eur',
        expiresAt: null,
        cancelReason: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      }));
      await t.db.insertInto('registrations').values(rows).execute();
      await t.db
        .insertInto('tickets')
        .values(
          rows.map((row, i) => ({
            id: crypto.randomUUID(),
            registrationId: row.id,
            eventId,
            position: 0,
            code: `TICKET${String(i).padStart(4, '0')}`,
          })),
        )
        .execute();
      const exported = await t.app.inject({
        method: 'GET',
        url: `/api/events/${eventId}/registrations?format=csv`,
        headers: organizer.headers,
      });
      const lines = exported.body.trimEnd().split('\r\n');
      expect(lines).toHaveLength(2_501);
      expect(new Set(lines.slice(1).map((line) => line.split(',')[1])).size).toBe(2_500);
    });
  });

  describe('check-in', () => {
    async function confirmedTicket(price = 0) {
      const scenario = await publishedEvent(t, { ticketTypes: [{ price, maxPerOrder: 2 }] });
      const buyer: User = await t.auth.user('attendee');
      const registration = (
        await register(t, buyer, { eventId: scenario.eventId, ticketTypeId: scenario.ticketTypes[0]?.id, quantity: 2 })
      ).json();
      return { ...scenario, buyer, registration };
    }

    const checkIn = (eventId: string, code: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/api/events/${eventId}/check-ins`, headers, payload: { code } });

    it('admits a ticket once; the second scan is told when the first was', async () => {
      const { eventId, organizer, registration } = await confirmedTicket();
      const ticket = registration.tickets[1];
      const first = await checkIn(eventId, ticket.code, organizer.headers);
      expect(first.statusCode).toBe(200);
      expect(first.json().ticket).toEqual({
        id: ticket.id,
        code: ticket.code,
        checkedInAt: t.clock.current.toISOString(),
      });
      expect(first.json().registration).toMatchObject({ id: registration.id, status: 'confirmed' });
      const second = await checkIn(eventId, ticket.code, organizer.headers);
      expect(second.json()).toMatchObject({
        status: 409,
        code: 'already_checked_in',
        checkedInAt: t.clock.current.toISOString(),
      });
      const announced = await committedEvents(t, 'ticket.checked_in', (data) => data.ticketId === ticket.id);
      expect(announced).toHaveLength(1);
      expect(announced[0]).toMatchObject({ registrationId: registration.id, eventId });
      // The other ticket of the order is still unused.
      expect((await checkIn(eventId, registration.tickets[0].code, organizer.headers)).statusCode).toBe(200);
    });

    it('reads codes leniently (case, hyphens, I/L/O) and admits simultaneous scans once', async () => {
      const { eventId, organizer, registration } = await confirmedTicket();
      const code: string = registration.tickets[0].code;
      const typed = `${code.slice(0, 5)}-${code.slice(5)}`.toLowerCase().replaceAll('1', 'l').replaceAll('0', 'o');
      const scans = await Promise.all([typed, code, code].map((scan) => checkIn(eventId, scan, organizer.headers)));
      expect(scans.map((scan) => scan.statusCode).sort()).toEqual([200, 409, 409]);
    });

    it('answers 404 for an unknown code or a code of another event, 403 for another organizer', async () => {
      const { eventId, organizer, registration } = await confirmedTicket();
      const other = await confirmedTicket();
      expect((await checkIn(eventId, 'ZZZZZZZZZZ', organizer.headers)).statusCode).toBe(404);
      expect((await checkIn(eventId, other.registration.tickets[0].code, organizer.headers)).statusCode).toBe(404);
      expect((await checkIn(eventId, registration.tickets[0].code, other.organizer.headers)).statusCode).toBe(403);
      expect(
        (await checkIn(eventId, registration.tickets[0].code, registration && (await t.auth.user('attendee')).headers))
          .statusCode,
      ).toBe(403);
    });

    it('does not admit a ticket whose registration is not confirmed', async () => {
      const { eventId, organizer, registration } = await confirmedTicket(700);
      expect((await checkIn(eventId, registration.tickets[0].code, organizer.headers)).json()).toMatchObject({
        status: 409,
        code: 'invalid_state',
      });
      await t.publishPayment('payment.succeeded', paymentFacts(registration));
      expect((await checkIn(eventId, registration.tickets[0].code, organizer.headers)).statusCode).toBe(200);
    });
  });
});
