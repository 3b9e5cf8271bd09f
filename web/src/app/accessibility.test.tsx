import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { accessibilityViolations } from '../testing/axe';
import { FakeGateway, FakeSocket, json } from '../testing/fake-gateway';
import { confirmedRegistration, draftEvent, freeTicket, paidTicket, publishedEvent } from '../testing/fixtures';
import { attendee, openedSocket, organizer, renderApp } from '../testing/render-with-app';

const summary = {
  eventId: publishedEvent.id,
  asOf: '2026-11-05T10:00:00.000Z',
  capacity: 100,
  ticketsSold: 12,
  utilization: 0.12,
  registrations: { confirmed: 10, pending: 1, cancelled: 2, expired: 0 },
  revenue: { gross: 30000, refunded: 2500, net: 27500, currency: 'eur' },
  byTicketType: [{ ticketTypeId: paidTicket.id, name: 'Standard', sold: 12, revenue: 27500 }],
  pageViews: 240,
  uniqueVisitors: 180,
  conversionRate: 0.05,
  checkIns: 3,
};
// One bucket per hour or per day, as the service answers for each interval.
const points = {
  hour: Array.from({ length: 24 }, (_, hour) => ({
    t: new Date(Date.UTC(2026, 10, 5, hour)).toISOString(),
    value: hour % 5,
  })),
  day: Array.from({ length: 7 }, (_, day) => ({
    t: new Date(Date.UTC(2026, 10, 5 + day)).toISOString(),
    value: (day * 3) % 7,
  })),
};

function platform() {
  return new FakeGateway()
    .on('GET /api/events/categories', json(200, { items: ['music', 'tech'] }))
    .on(
      'GET /api/events',
      json(200, {
        items: [
          publishedEvent,
          { ...publishedEvent, id: '0190a0b0-0000-7000-8000-0000000000e2', name: 'Tech Talk', soldOut: true },
        ],
        nextCursor: 'next',
      }),
    )
    .on(`GET /api/events/${publishedEvent.id}`, json(200, publishedEvent))
    .on(
      `GET /api/events/${publishedEvent.id}/tickets`,
      json(200, { items: [freeTicket, paidTicket], nextCursor: null }),
    )
    .on('POST /api/analytics/page-views', () => new Response(null, { status: 202 }))
    .on('GET /api/registrations', json(200, { items: [confirmedRegistration], nextCursor: null }))
    .on(
      `GET /api/events/${publishedEvent.id}/registrations`,
      json(200, { items: [confirmedRegistration], nextCursor: null }),
    )
    .on(`GET /api/analytics/events/${publishedEvent.id}/summary`, json(200, summary))
    .on(`GET /api/analytics/events/${publishedEvent.id}/timeseries`, ({ query }) =>
      json(200, { points: points[query.get('interval') === 'day' ? 'day' : 'hour'] }),
    )
    .on(
      'GET /api/analytics/overview',
      json(200, {
        asOf: summary.asOf,
        eventCount: 1,
        ticketsSold: 12,
        revenue: summary.revenue,
        pageViews: 240,
        checkIns: 3,
        events: [],
      }),
    );
}

async function expectAccessible() {
  expect(await accessibilityViolations()).toEqual([]);
}

beforeEach(() => {
  FakeSocket.opened.length = 0;
});

describe('accessibility (axe) of key pages', () => {
  it('sign in', async () => {
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    await expectAccessible();
  });

  it('create account, with field errors showing', async () => {
    renderApp('/register');
    await userEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    await screen.findAllByText('Enter your first name.');
    await expectAccessible();
  });

  it('browse events', async () => {
    renderApp('/events', { gateway: platform() });
    await screen.findByRole('link', { name: 'Tech Talk' });
    await expectAccessible();
  });

  it('event page with live availability', async () => {
    renderApp(`/events/${publishedEvent.id}`, { gateway: platform(), user: attendee });
    await screen.findByRole('button', { name: 'Register' });
    await expectAccessible();
  });

  it('checkout, attendee details step', async () => {
    renderApp(`/events/${publishedEvent.id}/register?ticketType=${paidTicket.id}&quantity=2`, {
      gateway: platform(),
      user: attendee,
    });
    await screen.findByRole('group', { name: 'Ticket 2 of 2' });
    await expectAccessible();
  });

  it('my tickets with QR codes', async () => {
    renderApp('/tickets', { gateway: platform(), user: attendee });
    await screen.findByRole('img', { name: /QR code of ticket 1/ });
    await expectAccessible();
  });

  it('organizer dashboard', async () => {
    renderApp('/organizer', {
      gateway: platform().on('GET /api/events', json(200, { items: [draftEvent], nextCursor: null })),
      user: organizer,
    });
    await screen.findByRole('link', { name: 'Jazz Night' });
    await expectAccessible();
  });

  it('event editor with ticket types', async () => {
    renderApp(`/organizer/events/${publishedEvent.id}/edit`, { gateway: platform(), user: organizer });
    await screen.findByRole('button', { name: 'Edit Standard' });
    await expectAccessible();
  });

  it('live sales page with charts', async () => {
    renderApp(`/organizer/events/${publishedEvent.id}/sales`, { gateway: platform(), user: organizer });
    await screen.findByText('Registrations per hour (last 48 hours)', { exact: false });
    await expectAccessible();
  });

  it('attendee list', async () => {
    renderApp(`/organizer/events/${publishedEvent.id}/attendees`, { gateway: platform(), user: organizer });
    await screen.findByRole('button', { name: `Refund ${confirmedRegistration.code}` });
    await expectAccessible();
  });

  it('check-in with a live counter', async () => {
    renderApp(`/organizer/events/${publishedEvent.id}/check-in`, { gateway: platform(), user: organizer });
    await screen.findByLabelText('Ticket code');
    const socket = await openedSocket();
    act(() => socket.open());
    act(() =>
      socket.push({
        channel: `organizer:${publishedEvent.id}`,
        type: 'sales',
        version: 1,
        data: {
          eventId: publishedEvent.id,
          currency: 'eur',
          registrations: summary.registrations,
          ticketsSold: 12,
          revenue: 27500,
          checkIns: 7,
          byTicketType: [],
        },
      }),
    );
    expect(screen.getByTestId('checked-in-count')).toHaveTextContent('7');
    await expectAccessible();
  });

  it('a confirmation dialog', async () => {
    renderApp(`/organizer/events/${publishedEvent.id}/edit`, { gateway: platform(), user: organizer });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel the event' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel this event?' });
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await expectAccessible();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel the event' })).toHaveFocus();
  });
});
