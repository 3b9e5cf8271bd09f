import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeGateway, FakeSocket, json, problem } from '../../testing/fake-gateway';
import { confirmedRegistration, publishedEvent } from '../../testing/fixtures';
import { openedSocket, organizer, renderWithApp } from '../../testing/render-with-app';
import CheckInPage from './check-in-page';

beforeEach(() => {
  FakeSocket.opened.length = 0;
});

describe('check-in page', () => {
  it('checks a typed code in, says "already checked in" the second time, and counts live', async () => {
    const user = userEvent.setup();
    const ticket = confirmedRegistration.tickets[0]!;
    let checkedInAt: string | null = null;
    const gateway = new FakeGateway()
      .on(`GET /api/events/${publishedEvent.id}`, json(200, publishedEvent))
      .on(`GET /api/analytics/events/${publishedEvent.id}/summary`, problem(404, 'not_found', 'No figures yet.'))
      .on(`POST /api/events/${publishedEvent.id}/check-ins`, (request) => {
        const code = (request.body as { code: string }).code;
        if (code !== ticket.code) return problem(404, 'not_found', 'The ticket was not found.');
        if (checkedInAt) return problem(409, 'already_checked_in', `Checked in at ${checkedInAt}.`, { checkedInAt });
        checkedInAt = '2027-03-01T18:05:00.000Z';
        return json(200, { ticket: { ...ticket, checkedInAt }, registration: confirmedRegistration });
      });
    renderWithApp(<CheckInPage />, {
      path: `/organizer/events/${publishedEvent.id}/check-in`,
      route: '/organizer/events/:eventId/check-in',
      gateway,
      user: organizer,
    });
    const input = await screen.findByLabelText('Ticket code');
    const socket = await openedSocket();
    act(() => socket.open());
    expect(socket.subscriptions()).toEqual([`organizer:${publishedEvent.id}`]);
    act(() =>
      socket.push({
        channel: `organizer:${publishedEvent.id}`,
        type: 'sales',
        version: 3,
        data: {
          eventId: publishedEvent.id,
          currency: 'eur',
          registrations: { pending: 0, confirmed: 1, cancelled: 0, expired: 0 },
          ticketsSold: 1,
          revenue: 2500,
          checkIns: 0,
          byTicketType: [],
        },
      }),
    );
    expect(screen.getByTestId('checked-in-count')).toHaveTextContent('0');

    await user.type(input, `${ticket.code}{Enter}`);
    expect(await screen.findByTestId('check-in-outcome')).toHaveTextContent(`${ticket.code}: Checked in`);
    expect(input).toHaveFocus();
    act(() =>
      socket.push({
        channel: `organizer:${publishedEvent.id}`,
        type: 'checkin',
        version: 4,
        data: {
          ticketId: ticket.id,
          registrationId: confirmedRegistration.id,
          ticketTypeId: confirmedRegistration.ticketTypeId,
          checkedInAt,
        },
      }),
    );
    expect(screen.getByTestId('checked-in-count')).toHaveTextContent('1');

    await user.type(input, `${ticket.code}{Enter}`);
    expect(await screen.findByText(/Already checked in at/)).toBeInTheDocument();

    await user.type(input, 'NOPE-123{Enter}');
    expect(await screen.findByText(/Unknown code/)).toBeInTheDocument();
    expect(screen.getByTestId('checked-in-count')).toHaveTextContent('1');
  });
});
