import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../../format/dates';
import { FakeGateway, json, problem } from '../../testing/fake-gateway';
import { draftEvent, paidTicket } from '../../testing/fixtures';
import { organizer, renderWithApp } from '../../testing/render-with-app';
import EventEditorPage from './event-editor-page';
import { formValuesOf } from './event-form';

function organizerGateway() {
  return new FakeGateway()
    .on('GET /api/events/categories', json(200, { items: ['music', 'tech', 'food'] }))
    .on(`GET /api/events/${draftEvent.id}`, json(200, draftEvent))
    .on(`GET /api/events/${draftEvent.id}/tickets`, json(200, { items: [paidTicket], nextCursor: null }));
}

async function fillNewEvent(user: ReturnType<typeof userEvent.setup>, end: string) {
  await user.type(screen.getByLabelText('Name'), 'Jazz Night');
  await user.type(screen.getByLabelText('Starts'), '2027-03-01T18:00');
  await user.type(screen.getByLabelText('Ends'), end);
  await user.type(screen.getByLabelText('Venue'), 'Blue Hall');
  await user.type(screen.getByLabelText('Capacity'), '100');
}

describe('event form', () => {
  it('catches an end before the start next to the end field, without a request', async () => {
    const user = userEvent.setup();
    const { gateway } = renderWithApp(<EventEditorPage />, {
      path: '/organizer/events/new',
      user: organizer,
      gateway: organizerGateway(),
    });
    await screen.findByLabelText('Name');

    await fillNewEvent(user, '2027-03-01T17:00');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    expect(screen.getByLabelText('Ends')).toHaveAccessibleDescription('The end must be after the start.');
    await waitFor(() => expect(screen.getByLabelText('Ends')).toHaveFocus());
    expect(gateway.calls('POST', '/api/events')).toHaveLength(0);
  });

  it('maps the server’s errors[].path onto the fields and keeps the rest of the form as typed', async () => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on(
      'POST /api/events',
      problem(422, 'validation_failed', 'The request is not valid.', {
        errors: [
          { path: 'body.capacity', message: 'must be at most 1000000' },
          { path: 'body.categories.1', message: 'Invalid option' },
        ],
      }),
    );
    renderWithApp(<EventEditorPage />, { path: '/organizer/events/new', user: organizer, gateway });
    await screen.findByLabelText('Name');

    await fillNewEvent(user, '2027-03-01T23:00');
    await user.click(screen.getByRole('checkbox', { name: 'music' }));
    await user.click(screen.getByRole('checkbox', { name: 'tech' }));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Capacity')).toHaveAccessibleDescription('Must be at most 1000000.'),
    );
    expect(screen.getByRole('group', { name: /Categories/ })).toHaveTextContent('Invalid option.');
    expect(screen.getByLabelText('Name')).toHaveValue('Jazz Night');
    expect(gateway.calls('POST', '/api/events')[0]?.body).toMatchObject({
      name: 'Jazz Night',
      capacity: 100,
      categories: ['music', 'tech'],
      startTime: new Date('2027-03-01T18:00').toISOString(),
    });
  });

  it('shows invalid_date_range from the server next to the end time', async () => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on(
      'POST /api/events',
      problem(422, 'invalid_date_range', 'An event may last at most 366 days.'),
    );
    renderWithApp(<EventEditorPage />, { path: '/organizer/events/new', user: organizer, gateway });
    await screen.findByLabelText('Name');

    await fillNewEvent(user, '2029-03-01T23:00');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Ends')).toHaveAccessibleDescription('An event may last at most 366 days.'),
    );
  });
});

describe('event form: refunds and tickets per account', () => {
  it.each([
    ['', '', { refundPolicy: { selfServiceUntil: null }, maxTicketsPerAccount: null }],
    [
      '2027-02-27T12:00',
      '4',
      { refundPolicy: { selfServiceUntil: new Date('2027-02-27T12:00').toISOString() }, maxTicketsPerAccount: 4 },
    ],
  ])('sends refunds until %j and %j tickets per account as %j', async (until, perAccount, expected) => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on('POST /api/events', json(201, draftEvent));
    renderWithApp(<EventEditorPage />, { path: '/organizer/events/new', user: organizer, gateway });
    await screen.findByLabelText('Name');

    await fillNewEvent(user, '2027-03-01T23:00');
    if (until) await user.type(screen.getByLabelText('Self-service refunds until'), until);
    if (perAccount) await user.type(screen.getByLabelText('Tickets per account'), perAccount);
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(gateway.calls('POST', '/api/events')).toHaveLength(1));
    expect(gateway.calls('POST', '/api/events')[0]?.body).toMatchObject(expected);
  });

  it('shows a deadline the organizer set, and leaves the default (the start) blank so it follows the start', () => {
    const withDefault = { ...draftEvent, refundPolicy: { selfServiceUntil: draftEvent.startTime } };
    expect(formValuesOf(withDefault)).toMatchObject({ refundUntil: '', maxTicketsPerAccount: '' });
    const set = {
      ...draftEvent,
      refundPolicy: { selfServiceUntil: '2027-02-27T11:00:00.000Z' },
      maxTicketsPerAccount: 6,
    };
    expect(formValuesOf(set)).toMatchObject({
      refundUntil: toLocalInput('2027-02-27T11:00:00.000Z'),
      maxTicketsPerAccount: '6',
    });
  });

  it('catches a deadline after the end and a limit below one before any request; the server’s path lands there too', async () => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on(
      'POST /api/events',
      problem(422, 'invalid_date_range', 'refundPolicy.selfServiceUntil must not be after endTime.', {
        errors: [{ path: 'body.refundPolicy.selfServiceUntil', message: 'must not be after endTime' }],
      }),
    );
    renderWithApp(<EventEditorPage />, { path: '/organizer/events/new', user: organizer, gateway });
    await screen.findByLabelText('Name');

    await fillNewEvent(user, '2027-03-01T23:00');
    await user.type(screen.getByLabelText('Self-service refunds until'), '2027-03-02T12:00');
    await user.type(screen.getByLabelText('Tickets per account'), '0');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(screen.getByLabelText('Self-service refunds until')).toHaveAccessibleDescription(
      /Refunds must end by the end of the event\./,
    );
    expect(screen.getByLabelText('Tickets per account')).toHaveAccessibleDescription(/at least 1/);
    expect(gateway.calls('POST', '/api/events')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Tickets per account'));
    await user.clear(screen.getByLabelText('Self-service refunds until'));
    await user.type(screen.getByLabelText('Self-service refunds until'), '2027-03-01T12:00');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Self-service refunds until')).toHaveAccessibleDescription(
        /Must not be after endTime\./,
      ),
    );
  });
});

describe('ticket type form', () => {
  it('shows capacity_exceeded next to the quantity of the ticket type being edited', async () => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on(
      `PATCH /api/events/${draftEvent.id}/tickets/${paidTicket.id}`,
      problem(409, 'capacity_exceeded', '12 tickets of this type are already sold.'),
    );
    renderWithApp(<EventEditorPage />, {
      path: `/organizer/events/${draftEvent.id}/edit`,
      route: '/organizer/events/:eventId/edit',
      user: organizer,
      gateway,
    });

    await user.click(await screen.findByRole('button', { name: 'Edit Standard' }));
    const form = screen.getByRole('form', { name: 'Edit Standard' });
    const quantity = within(form).getByLabelText('Quantity');
    await user.clear(quantity);
    await user.type(quantity, '5');
    await user.click(within(form).getByRole('button', { name: 'Save ticket type' }));

    await waitFor(() => expect(quantity).toHaveAccessibleDescription('12 tickets of this type are already sold.'));
    expect(gateway.calls('PATCH', `/api/events/${draftEvent.id}/tickets/${paidTicket.id}`)[0]?.body).toMatchObject({
      quantity: 5,
      price: 2500,
    });
  });

  it('turns a typed price into minor units', async () => {
    const user = userEvent.setup();
    const gateway = organizerGateway().on(`POST /api/events/${draftEvent.id}/tickets`, (request) =>
      json(201, {
        ...paidTicket,
        id: '0190a0b0-0000-7000-8000-0000000000t3',
        ...(request.body as object),
        available: 20,
        status: 'on_sale',
      }),
    );
    renderWithApp(<EventEditorPage />, {
      path: `/organizer/events/${draftEvent.id}/edit`,
      route: '/organizer/events/:eventId/edit',
      user: organizer,
      gateway,
    });

    const form = await screen.findByRole('form', { name: 'New ticket type' });
    await user.type(within(form).getByLabelText('Ticket name'), 'VIP');
    await user.clear(within(form).getByLabelText('Price'));
    await user.type(within(form).getByLabelText('Price'), '49,90');
    await user.type(within(form).getByLabelText('Quantity'), '20');
    await user.click(within(form).getByRole('button', { name: 'Add ticket type' }));

    expect(await screen.findByText('Added "VIP".')).toBeInTheDocument();
    expect(gateway.calls('POST', `/api/events/${draftEvent.id}/tickets`)[0]?.body).toMatchObject({
      name: 'VIP',
      price: 4990,
      currency: 'eur',
      quantity: 20,
    });
  });
});
