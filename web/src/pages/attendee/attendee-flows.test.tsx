import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Registration } from '../../api/types';
import { FakeGateway, FakeSocket, json, problem } from '../../testing/fake-gateway';
import { confirmedRegistration, freeTicket, paidTicket, publishedEvent } from '../../testing/fixtures';
import { attendee, openedSocket, renderWithApp } from '../../testing/render-with-app';
import CheckoutPage from './checkout-page';
import EventPage from './event-page';

function eventGateway() {
  return new FakeGateway()
    .on(`GET /api/events/${publishedEvent.id}`, json(200, publishedEvent))
    .on(
      `GET /api/events/${publishedEvent.id}/tickets`,
      json(200, { items: [freeTicket, paidTicket], nextCursor: null }),
    )
    .on('POST /api/analytics/page-views', () => new Response(null, { status: 202 }));
}

const snapshot = (version: number, free: number, paid: number) => ({
  channel: `event:${publishedEvent.id}`,
  type: 'snapshot',
  version,
  data: {
    eventId: publishedEvent.id,
    status: 'published',
    capacity: 100,
    available: free + paid,
    soldOut: free + paid === 0,
    ticketTypes: [
      { id: freeTicket.id, available: free, status: 'on_sale', version: 1 },
      { id: paidTicket.id, available: paid, status: 'on_sale', version: 1 },
    ],
  },
});

beforeEach(() => {
  FakeSocket.opened.length = 0;
});

describe('event page', () => {
  it('shows availability from the event channel and "sold out" without a reload', async () => {
    const { gateway } = renderWithApp(<EventPage />, {
      path: `/events/${publishedEvent.id}`,
      route: '/events/:eventId',
      gateway: eventGateway(),
    });
    await screen.findByRole('heading', { name: 'Jazz Night' });
    const paidOption = await screen.findByText('Standard');
    const paidRow = paidOption.closest('label')!;
    expect(paidRow).toHaveTextContent('38 left');

    const socket = await openedSocket();
    act(() => socket.open());
    expect(socket.subscriptions()).toEqual([`event:${publishedEvent.id}`]);
    act(() => socket.push(snapshot(5, 3, 2)));
    expect(paidRow).toHaveTextContent('2 left');

    act(() =>
      socket.push({
        channel: `event:${publishedEvent.id}`,
        type: 'availability',
        version: 6,
        data: { ticketTypeId: paidTicket.id, available: 0, status: 'sold_out', version: 2 },
      }),
    );
    expect(paidRow).toHaveTextContent('Sold out');
    expect(within(paidRow).getByRole('radio')).toBeDisabled();
    expect(screen.queryByText('Sold out', { selector: '.sold-out-banner' })).not.toBeInTheDocument();

    // An older message arriving late changes nothing.
    act(() =>
      socket.push({
        channel: `event:${publishedEvent.id}`,
        type: 'availability',
        version: 4,
        data: { ticketTypeId: paidTicket.id, available: 7, status: 'on_sale', version: 1 },
      }),
    );
    expect(paidRow).toHaveTextContent('Sold out');

    act(() =>
      socket.push({
        channel: `event:${publishedEvent.id}`,
        type: 'availability',
        version: 7,
        data: { ticketTypeId: freeTicket.id, available: 0, status: 'sold_out', version: 2 },
      }),
    );
    expect(screen.getByText('Sold out', { selector: '.sold-out-banner' })).toBeInTheDocument();

    await waitFor(() => expect(gateway.calls('POST', '/api/analytics/page-views')).toHaveLength(1));
    expect(gateway.calls('POST', '/api/analytics/page-views')[0]?.body).toMatchObject({
      eventId: publishedEvent.id,
      sessionId: expect.any(String),
    });
  });

  it('sends a visitor who is not signed in to sign in first, coming back to the chosen ticket', async () => {
    const user = userEvent.setup();
    renderWithApp(<EventPage />, {
      path: `/events/${publishedEvent.id}`,
      route: '/events/:eventId',
      gateway: eventGateway(),
    });
    await user.click(await screen.findByRole('radio', { name: /Standard/ }));
    await user.selectOptions(screen.getByLabelText('Quantity'), '2');
    await user.click(screen.getByRole('button', { name: 'Get tickets' }));
    expect(await screen.findByText('Navigated away')).toBeInTheDocument();
  });
});

describe('checkout', () => {
  const checkoutPath = `/events/${publishedEvent.id}/register?ticketType=${paidTicket.id}&quantity=2`;
  const route = '/events/:eventId/register';

  it('shows server errors for one attendee next to that attendee’s field', async () => {
    const user = userEvent.setup();
    const gateway = eventGateway().on(
      'POST /api/registrations',
      problem(422, 'validation_failed', 'The request is not valid.', {
        errors: [{ path: 'body.attendees.1.email', message: 'Invalid email address' }],
      }),
    );
    renderWithApp(<CheckoutPage />, { path: checkoutPath, route, gateway, user: attendee });

    const second = await screen.findByRole('group', { name: 'Ticket 2 of 2' });
    await user.type(within(second).getByLabelText('First name'), 'Charles');
    await user.type(within(second).getByLabelText('Last name'), 'Babbage');
    await user.type(within(second).getByLabelText('Email'), 'charles@example.org');
    await user.click(screen.getByRole('button', { name: 'Continue to payment' }));

    await waitFor(() =>
      expect(within(second).getByLabelText('Email')).toHaveAccessibleDescription('Invalid email address.'),
    );
    expect(within(screen.getByRole('group', { name: 'Ticket 1 of 2' })).getByLabelText('Email')).toHaveValue(
      'ada@example.com',
    );
  });

  it('pays a held registration with the test card and lands on the confirmation with the code', async () => {
    const user = userEvent.setup();
    const pending: Registration = {
      ...confirmedRegistration,
      eventId: publishedEvent.id,
      quantity: 2,
      amount: 5000,
      status: 'pending',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      tickets: [],
    };
    let paid = false;
    const gateway = eventGateway()
      .on('POST /api/registrations', json(201, pending))
      .on('GET /api/payments/config', json(200, { publishableKey: 'pk_test_fake', mode: 'fake' }))
      .on(
        'POST /api/payments/intents',
        json(201, {
          paymentId: 'p1',
          clientSecret: 'pi_123ABC_secret_xyz',
          amount: 5000,
          currency: 'eur',
          status: 'pending',
        }),
      )
      .on('POST /api/dev/stripe/confirm', () => {
        paid = true;
        return json(200, { paymentIntentId: 'pi_123ABC', status: 'succeeded', error: null });
      })
      .on(`GET /api/registrations/${pending.id}`, () =>
        json(200, paid ? { ...pending, status: 'confirmed', expiresAt: null } : pending),
      );
    renderWithApp(<CheckoutPage />, { path: checkoutPath, route, gateway, user: attendee });

    const second = await screen.findByRole('group', { name: 'Ticket 2 of 2' });
    await user.type(within(second).getByLabelText('First name'), 'Charles');
    await user.type(within(second).getByLabelText('Last name'), 'Babbage');
    await user.type(within(second).getByLabelText('Email'), 'charles@example.org');
    await user.click(screen.getByRole('button', { name: 'Continue to payment' }));

    expect(await screen.findByRole('heading', { name: 'Payment' })).toHaveFocus();
    await user.click(await screen.findByRole('button', { name: /^Pay / }));
    expect(await screen.findByText('Navigated away', {}, { timeout: 5_000 })).toBeInTheDocument();

    const registration = gateway.calls('POST', '/api/registrations')[0]!;
    expect(registration.headers['idempotency-key']).toEqual(expect.any(String));
    expect(registration.body).toMatchObject({
      quantity: 2,
      ticketTypeId: paidTicket.id,
      attendees: [{ email: 'ada@example.com' }, { email: 'charles@example.org' }],
    });
    expect(gateway.calls('POST', '/api/dev/stripe/confirm')[0]?.body).toEqual({
      paymentIntentId: 'pi_123ABC',
      paymentMethod: 'pm_card_visa',
    });
  });

  it('asks again with the same key while payments has not yet heard of the hold', async () => {
    const pending: Registration = {
      ...confirmedRegistration,
      eventId: publishedEvent.id,
      status: 'pending',
      tickets: [],
    };
    let attempts = 0;
    const gateway = eventGateway()
      .on(`GET /api/registrations/${pending.id}`, json(200, pending))
      .on('GET /api/payments/config', json(200, { publishableKey: 'pk_test_fake', mode: 'fake' }))
      .on('POST /api/payments/intents', () =>
        ++attempts < 3
          ? json(404, { status: 404, code: 'not_found', title: 'Not Found', detail: 'The registration was not found.' })
          : json(201, {
              paymentId: 'p1',
              clientSecret: 'pi_7_secret_q',
              amount: 2500,
              currency: 'eur',
              status: 'pending',
            }),
      );
    renderWithApp(<CheckoutPage />, {
      path: `/events/${publishedEvent.id}/register?registration=${pending.id}`,
      route,
      gateway,
      user: attendee,
    });

    await userEvent.setup().click(await screen.findByRole('button', { name: /^Pay / }));

    await waitFor(() => expect(gateway.calls('POST', '/api/dev/stripe/confirm')).toHaveLength(1), { timeout: 5_000 });
    const keys = gateway.calls('POST', '/api/payments/intents').map((call) => call.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('shows a declined card next to the card number and lets the attendee try another', async () => {
    const user = userEvent.setup();
    const pending: Registration = {
      ...confirmedRegistration,
      eventId: publishedEvent.id,
      status: 'pending',
      tickets: [],
    };
    const gateway = eventGateway()
      .on(`GET /api/registrations/${pending.id}`, json(200, pending))
      .on('GET /api/payments/config', json(200, { publishableKey: 'pk_test_fake', mode: 'fake' }))
      .on(
        'POST /api/payments/intents',
        json(201, { paymentId: 'p1', clientSecret: 'pi_9_secret_z', amount: 2500, currency: 'eur', status: 'pending' }),
      )
      .on(
        'POST /api/dev/stripe/confirm',
        json(200, {
          paymentIntentId: 'pi_9',
          status: 'requires_payment_method',
          error: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
        }),
      );
    renderWithApp(<CheckoutPage />, {
      path: `/events/${publishedEvent.id}/register?registration=${pending.id}`,
      route,
      gateway,
      user: attendee,
    });

    const card = await screen.findByLabelText('Card number');
    await user.clear(card);
    await user.type(card, '4000 0000 0000 0002');
    await user.click(screen.getByRole('button', { name: /^Pay / }));

    await waitFor(() => expect(card).toHaveAccessibleDescription('Your card was declined.'));
    expect(screen.getByRole('button', { name: /^Pay / })).toBeEnabled();
  });
});
