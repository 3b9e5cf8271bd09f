import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register } from './support/scenario';
import {
  committedEvents,
  eventState,
  hours,
  messagesOf,
  publishedEventually,
  startTicketing,
  type Ticketing,
} from './support/ticketing-harness';

// Real: PostgreSQL, the whole service as production hosts it, its consumers and outbox relay on the
// in-process bus. The events service is represented by the CloudEvents it would publish.
describe('ticket types', () => {
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing();
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  it('documents its routes in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/events/{id}/tickets',
        '/api/events/{id}/tickets/{ticketTypeId}',
        '/api/events/{id}/availability',
        '/api/registrations',
        '/api/registrations/{id}',
        '/api/registrations/{id}/cancel',
        '/api/events/{id}/registrations',
        '/api/events/{id}/check-ins',
      ]),
    );
  });

  it('lets the organizer add ticket types and anyone list them with live availability', async () => {
    const { eventId, organizer } = await publishedEvent(t, {
      event: { capacity: 30 },
      ticketTypes: [
        { name: 'Early bird', price: 1500, currency: 'EUR', quantity: 20, maxPerOrder: 4 },
        { name: 'Standard', price: 2500, currency: 'eur', quantity: 40 },
      ],
    });
    const listed = await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/tickets` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().nextCursor).toBeNull();
    expect(listed.json().items).toMatchObject([
      {
        name: 'Early bird',
        price: 1500,
        currency: 'eur',
        quantity: 20,
        available: 20,
        status: 'on_sale',
        minPerOrder: 1,
        maxPerOrder: 4,
      },
      // The event's capacity (30) caps what the second type can sell.
      { name: 'Standard', quantity: 40, available: 30, status: 'on_sale', maxPerOrder: 10 },
    ]);
    const created = await publishedEventually(t, 'ticket_type.created', (data) => data.eventId === eventId, 2);
    expect(created.map((data) => data.name)).toEqual(['Early bird', 'Standard']);
    expect(organizer.role).toBe('organizer');
  });

  it('refuses other organizers (403), attendees (403), strangers (401) and unknown events (404)', async () => {
    const { eventId } = await publishedEvent(t);
    const body = { name: 'VIP', price: 0, currency: 'eur', quantity: 1 };
    const other = await t.auth.user('organizer');
    const attendee = await t.auth.user('attendee');
    const post = (headers: Record<string, string>, id = eventId) =>
      t.app.inject({ method: 'POST', url: `/api/events/${id}/tickets`, headers, payload: body });
    expect((await post(other.headers)).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await post(attendee.headers)).statusCode).toBe(403);
    expect((await post({})).json()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await post(other.headers, crypto.randomUUID())).json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it("hides a draft's ticket types from everyone but its organizer", async () => {
    const organizer = await t.auth.user('organizer');
    const state = eventState({ organizerId: organizer.userId, status: 'draft' }, t.clock);
    await t.publishEvent('event.created', state);
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/events/${state.eventId}/tickets`,
      headers: organizer.headers,
      payload: { name: 'GA', price: 0, currency: 'eur', quantity: 5 },
    });
    expect(created.statusCode).toBe(201);
    const other = await t.auth.user('organizer');
    const asOther = await t.app.inject({
      method: 'POST',
      url: `/api/events/${state.eventId}/tickets`,
      headers: other.headers,
      payload: { name: 'GA', price: 0, currency: 'eur', quantity: 5 },
    });
    expect(asOther.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${state.eventId}/tickets` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${state.eventId}/availability` })).statusCode).toBe(
      404,
    );
    const asOwner = await t.app.inject({
      method: 'GET',
      url: `/api/events/${state.eventId}/tickets`,
      headers: organizer.headers,
    });
    expect(asOwner.json().items).toHaveLength(1);
  });

  it('validates the body: date range, order limits, currency, negative quantity', async () => {
    const { eventId, organizer } = await publishedEvent(t);
    const post = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/events/${eventId}/tickets`,
        headers: organizer.headers,
        payload: { name: 'X', price: 0, currency: 'eur', quantity: 5, ...payload },
      });
    const start = new Date(t.clock.current.getTime() + hours(2)).toISOString();
    expect((await post({ salesStart: start, salesEnd: start })).json()).toMatchObject({
      status: 422,
      code: 'invalid_date_range',
    });
    expect((await post({ minPerOrder: 5, maxPerOrder: 2 })).json()).toMatchObject({
      status: 422,
      code: 'validation_failed',
    });
    expect((await post({ currency: 'euro' })).json()).toMatchObject({ status: 422, code: 'validation_failed' });
    expect((await post({ quantity: -1 })).json()).toMatchObject({ status: 422, code: 'validation_failed' });
    expect((await post({ price: 9.5 })).json()).toMatchObject({ status: 422, code: 'validation_failed' });
  });

  it('computes the status: scheduled, on_sale, sold_out and ended', async () => {
    const inAnHour = new Date(t.clock.current.getTime() + hours(1)).toISOString();
    const { eventId, organizer, ticketTypes } = await publishedEvent(t, {
      ticketTypes: [
        { name: 'Later', salesStart: inAnHour },
        { name: 'Now', salesEnd: inAnHour, quantity: 1 },
      ],
    });
    const statuses = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/tickets` }))
        .json()
        .items.map((item: { status: string }) => item.status);
    expect(await statuses()).toEqual(['scheduled', 'on_sale']);
    const buyer = await t.auth.user('attendee');
    expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[1]?.id })).statusCode).toBe(201);
    expect(await statuses()).toEqual(['scheduled', 'sold_out']);
    t.clock.advance(hours(1));
    expect(await statuses()).toEqual(['on_sale', 'ended']);
    expect(organizer.userId).toBeDefined();
  });

  it('lets the quantity change but never below the seats sold', async () => {
    const { eventId, organizer, ticketTypes } = await publishedEvent(t, { ticketTypes: [{ quantity: 3 }] });
    const ticketTypeId = ticketTypes[0]?.id as string;
    for (let i = 0; i < 2; i++) {
      const buyer = await t.auth.user('attendee');
      expect((await register(t, buyer, { eventId, ticketTypeId })).statusCode).toBe(201);
    }
    const patch = (payload: object) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/events/${eventId}/tickets/${ticketTypeId}`,
        headers: organizer.headers,
        payload,
      });
    expect((await patch({ quantity: 1 })).json()).toMatchObject({ status: 409, code: 'capacity_exceeded' });
    const raised = await patch({ quantity: 5, name: 'Renamed' });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ quantity: 5, available: 3, name: 'Renamed' });
    expect((await patch({ quantity: 2 })).json()).toMatchObject({ quantity: 2, available: 0, status: 'sold_out' });
    await publishedEventually(
      t,
      'availability.changed',
      (data) => data.ticketTypeId === ticketTypeId && data.quantity === 2,
    );
    const updates = messagesOf(t.published, 'availability.changed', (data) => data.ticketTypeId === ticketTypeId);
    expect(updates.map((data) => [data.quantity, data.available])).toEqual([
      [3, 3],
      [3, 2],
      [3, 1],
      [5, 3],
      [2, 0],
    ]);
    const versions = updates.map((data) => data.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('deletes a ticket type only while nothing is sold', async () => {
    const { eventId, organizer, ticketTypes } = await publishedEvent(t, { ticketTypes: [{}, {}] });
    const [sold, unsold] = ticketTypes.map((ticketType) => ticketType.id as string);
    const buyer = await t.auth.user('attendee');
    expect((await register(t, buyer, { eventId, ticketTypeId: sold })).statusCode).toBe(201);
    const remove = (id: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/events/${eventId}/tickets/${id}`, headers: organizer.headers });
    expect((await remove(sold as string)).json()).toMatchObject({ status: 409, code: 'invalid_state' });
    expect((await remove(unsold as string)).statusCode).toBe(204);
    expect((await remove(unsold as string)).statusCode).toBe(404);
    const listed = await t.app.inject({ method: 'GET', url: `/api/events/${eventId}/tickets` });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([sold]);
    expect(await committedEvents(t, 'ticket_type.deleted', (data) => data.ticketTypeId === unsold)).toHaveLength(1);
  });
});
