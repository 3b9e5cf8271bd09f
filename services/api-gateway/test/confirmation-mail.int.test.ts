import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResponse, type Platform, signUp, startPlatform } from './security/platform';

// Real PostgreSQL (a fresh database), every service plugin, the in-process bus: mail that ticketing
// sends shows in identity's dev mailbox, because both write to the one dev mailbox schema.
describe('confirmation email in the dev mailbox', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform('gateway_mail');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('reaches the attendee with the ticket codes through GET /api/dev/mailbox', async () => {
    const { app } = platform;
    const organizer = await signUp(platform, 'organizer');
    const attendee = await signUp(platform, 'attendee');
    const event = await app.inject({
      method: 'POST',
      url: '/api/events',
      headers: organizer.headers,
      payload: {
        name: 'Lighthouse Sessions',
        startTime: '2030-05-01T18:00:00.000Z',
        endTime: '2030-05-01T22:00:00.000Z',
        location: 'Pier 4',
        capacity: 50,
      },
    });
    expect(event.statusCode, describeResponse(event)).toBe(201);
    const eventId: string = event.json().id;
    // ticketing learns of the event from the bus
    const ticketType = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: `/api/events/${eventId}/tickets`,
          headers: organizer.headers,
          payload: { name: 'Standing', price: 0, currency: 'eur', quantity: 20 },
        }),
      (response) => response.statusCode === 201,
    );
    expect(ticketType.statusCode, describeResponse(ticketType)).toBe(201);
    const published = await app.inject({
      method: 'POST',
      url: `/api/events/${eventId}/publish`,
      headers: organizer.headers,
    });
    expect(published.statusCode, describeResponse(published)).toBe(200);
    const registration = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: '/api/registrations',
          headers: attendee.headers,
          payload: { eventId, ticketTypeId: ticketType.json().id, quantity: 2 },
        }),
      (response) => response.statusCode === 201,
    );
    expect(registration.statusCode, describeResponse(registration)).toBe(201);
    const { tickets } = (
      await app.inject({
        method: 'GET',
        url: `/api/registrations/${registration.json().id}`,
        headers: attendee.headers,
      })
    ).json();

    const mailbox = await eventually(
      async () =>
        (await app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(attendee.email)}` })).json()
          .items as { subject: string; text: string }[],
      (items) => items.length > 0,
    );
    expect(mailbox).toHaveLength(1);
    expect(mailbox[0]?.subject).toBe('Your tickets for Lighthouse Sessions');
    expect(mailbox[0]?.text).toContain('Ticket type: Standing');
    expect(tickets).toHaveLength(2);
    for (const ticket of tickets) expect(mailbox[0]?.text).toContain(ticket.code);
  });
});
