import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseChannel } from '../src/model/channel';
import { mayListen } from '../src/model/channel-access';
import { ChannelVersions } from '../src/model/channel-versions';
import { EventDirectory } from '../src/model/event-directory';
import { SalesLedger } from '../src/model/sales-ledger';
import { eventAvailable, isSoldOut, TicketBoard } from '../src/model/ticket-board';
import { ticketStatus } from '../src/model/ticket-status';
import { eventState } from './support/bus';

describe('ChannelVersions', () => {
  it('numbers every message above everything sent before, and never below the data floor', () => {
    const versions = new ChannelVersions();
    expect(versions.next('event:a', 10)).toBe(10);
    expect(versions.next('event:a', 10)).toBe(11);
    expect(versions.next('event:a', 5)).toBe(12);
    expect(versions.next('event:a', 40)).toBe(40);
    expect(versions.next('event:b', 0)).toBe(1);
  });

  it('numbers a snapshot so that the next message is above it', () => {
    const versions = new ChannelVersions();
    const snapshot = versions.current('event:a', 7);
    expect(snapshot).toBe(7);
    expect(versions.current('event:a', 7)).toBe(7);
    expect(versions.next('event:a', 7)).toBeGreaterThan(snapshot);
  });
});

describe('TicketBoard', () => {
  const eventId = randomUUID();
  const change = (ticketTypeId: string, available: number, version: number, quantity = 100) => ({
    eventId,
    ticketTypeId,
    available,
    quantity,
    version,
  });

  it('applies only newer versions, so replays and redeliveries change nothing', () => {
    const board = new TicketBoard();
    const id = randomUUID();
    expect(board.applyAvailability(change(id, 90, 2))).toBe(true);
    expect(board.applyAvailability(change(id, 95, 1))).toBe(false);
    expect(board.applyAvailability(change(id, 90, 2))).toBe(false);
    expect(board.show(id, 0)).toEqual({ ticketTypeId: id, available: 90, status: 'on_sale', version: 2 });
  });

  it('builds snapshots from what was shown, not from what is still being coalesced', () => {
    const board = new TicketBoard();
    const id = randomUUID();
    board.applyAvailability(change(id, 90, 1));
    board.show(id, 0);
    board.applyAvailability(change(id, 80, 2));
    expect(board.shownOf(eventId)).toEqual([
      { ticketTypeId: id, available: 90, quantity: 100, status: 'on_sale', version: 1 },
    ]);
    expect(board.show(id, 0)).toMatchObject({ available: 80, version: 2 });
    expect(board.show(id, 0)).toBeUndefined();
  });

  it('raises the version floor with every shown change, and keeps it when a ticket type is removed', () => {
    const board = new TicketBoard();
    const [a, b] = [randomUUID(), randomUUID()];
    board.applyAvailability(change(a, 10, 0));
    board.show(a, 0);
    const first = board.versionFloor(eventId);
    board.applyAvailability(change(b, 10, 0));
    board.show(b, 0);
    const second = board.versionFloor(eventId);
    board.applyAvailability(change(a, 9, 1));
    board.show(a, 0);
    const third = board.versionFloor(eventId);
    expect(first).toBeLessThan(second);
    expect(second).toBeLessThan(third);
    expect(board.removeTicketType(b)).toMatchObject({ ticketTypeId: b, removed: true });
    expect(board.versionFloor(eventId)).toBe(third);
    expect(board.shownOf(eventId).map((type) => type.ticketTypeId)).toEqual([a]);
  });

  it('re-states ticket types when their sales window opens', () => {
    const board = new TicketBoard();
    const id = randomUUID();
    const opensAt = Date.parse('2030-01-01T10:00:00Z');
    board.applyTicketType({
      eventId,
      ticketTypeId: id,
      name: 'Early bird',
      price: 1000,
      currency: 'eur',
      quantity: 100,
      salesStart: new Date(opensAt).toISOString(),
      salesEnd: null,
    });
    board.applyAvailability(change(id, 100, 1));
    expect(board.show(id, opensAt - 1)).toMatchObject({ status: 'scheduled' });
    expect(board.restatus(eventId, opensAt - 1)).toEqual([]);
    expect(board.restatus(eventId, opensAt)).toEqual([
      { ticketTypeId: id, available: 100, quantity: 100, status: 'on_sale', version: 1 },
    ]);
  });
});

describe('event-wide availability', () => {
  it('is capacity minus sold while no ticket type is capped by the event', () => {
    expect(
      eventAvailable(100, [
        { available: 20, quantity: 50 },
        { available: 30, quantity: 40 },
      ]),
    ).toBe(50);
  });

  it('is what a capped ticket type shows once the event limits it', () => {
    // Capacity 60, 30 + 10 sold: 20 left for the event; the second type (30 left of its own) shows 20.
    expect(
      eventAvailable(60, [
        { available: 20, quantity: 50 },
        { available: 20, quantity: 40 },
      ]),
    ).toBe(20);
    // Event remaining 15: ticket types with more left show 15.
    expect(
      eventAvailable(100, [
        { available: 15, quantity: 60 },
        { available: 15, quantity: 80 },
      ]),
    ).toBe(15);
    expect(
      eventAvailable(10, [
        { available: 0, quantity: 5 },
        { available: 10, quantity: 20 },
      ]),
    ).toBe(10);
  });

  it('is sold out when every ticket type is, and not when there are none', () => {
    expect(isSoldOut([{ available: 0 }, { available: 0 }])).toBe(true);
    expect(isSoldOut([{ available: 0 }, { available: 1 }])).toBe(false);
    expect(isSoldOut([])).toBe(false);
  });
});

describe('ticketStatus', () => {
  it('follows seats and the sales window', () => {
    const window = { salesStart: 1_000, salesEnd: 2_000 };
    expect(ticketStatus({ ...window, available: 5 }, 500)).toBe('scheduled');
    expect(ticketStatus({ ...window, available: 5 }, 1_500)).toBe('on_sale');
    expect(ticketStatus({ ...window, available: 5 }, 2_000)).toBe('ended');
    expect(ticketStatus({ ...window, available: 0 }, 1_500)).toBe('sold_out');
    expect(ticketStatus({ salesStart: null, salesEnd: null, available: 1 }, 0)).toBe('on_sale');
  });
});

describe('SalesLedger', () => {
  const eventId = randomUUID();
  const ticketTypeId = randomUUID();
  const registration = (quantity = 2, amount = 5000) => ({
    registrationId: randomUUID(),
    eventId,
    ticketTypeId,
    userId: randomUUID(),
    quantity,
    amount,
    currency: 'eur',
    occurredAt: new Date().toISOString(),
  });

  it('moves totals by status transitions, and a repeated message moves nothing', () => {
    const ledger = new SalesLedger();
    const paid = registration();
    const held = { ...paid, expiresAt: new Date().toISOString() };
    expect(ledger.applyRegistration('registration.held', held)).toMatchObject({ status: 'pending' });
    expect(ledger.applyRegistration('registration.held', held)).toBeUndefined();
    expect(ledger.totals(eventId)).toMatchObject({ seatsHeld: 2, ticketsSold: 0, registrations: { pending: 1 } });
    ledger.applyRegistration('registration.confirmed', paid);
    ledger.applyRegistration('registration.confirmed', paid);
    expect(ledger.totals(eventId)).toMatchObject({
      seatsHeld: 0,
      ticketsSold: 2,
      revenue: 5000,
      currency: 'eur',
      registrations: { pending: 0, confirmed: 1 },
      byTicketType: [{ ticketTypeId, sold: 2, revenue: 5000 }],
    });
    ledger.applyRegistration('registration.cancelled', { ...paid, reason: 'attendee', refundRequested: true });
    expect(ledger.totals(eventId)).toMatchObject({ ticketsSold: 0, revenue: 0, registrations: { cancelled: 1 } });
  });

  it('counts a hold that expired and was re-reserved by a late payment once', () => {
    const ledger = new SalesLedger();
    const late = registration(1, 2500);
    ledger.applyRegistration('registration.held', { ...late, expiresAt: late.occurredAt });
    ledger.applyRegistration('registration.expired', late);
    ledger.applyRegistration('registration.confirmed', late);
    expect(ledger.totals(eventId)).toMatchObject({
      ticketsSold: 1,
      revenue: 2500,
      seatsHeld: 0,
      registrations: { pending: 0, expired: 0, confirmed: 1 },
    });
  });

  it('counts each ticket checked in once and knows whose registration a payment is for', () => {
    const ledger = new SalesLedger();
    const free = registration(1, 0);
    ledger.applyRegistration('registration.confirmed', free);
    const checkIn = {
      ticketId: randomUUID(),
      registrationId: free.registrationId,
      eventId,
      ticketTypeId,
      checkedInAt: free.occurredAt,
    };
    expect(ledger.applyCheckIn(checkIn)).toBe(true);
    expect(ledger.applyCheckIn(checkIn)).toBe(false);
    expect(ledger.totals(eventId).checkIns).toBe(1);
    expect(ledger.userOf(free.registrationId)).toBe(free.userId);
    expect(ledger.revision(eventId)).toBe(3);
  });
});

describe('channels', () => {
  it('accepts the three kinds with a uuid, normalised to lower case', () => {
    const id = randomUUID();
    expect(parseChannel(`event:${id.toUpperCase()}`)).toEqual({ name: `event:${id}`, kind: 'event', id });
    expect(parseChannel(`organizer:${id}`)?.kind).toBe('organizer');
    expect(parseChannel(`user:${id}`)?.kind).toBe('user');
    expect(parseChannel(`events:${id}`)).toBeUndefined();
    expect(parseChannel('event:not-a-uuid')).toBeUndefined();
    expect(parseChannel('event')).toBeUndefined();
  });

  it('lets anyone follow public events, owners their drafts and sales, users only themselves', () => {
    const directory = new EventDirectory();
    const owner = { userId: randomUUID(), role: 'organizer' as const, sessionId: randomUUID() };
    const other = { userId: randomUUID(), role: 'attendee' as const, sessionId: randomUUID() };
    const published = eventState({ organizerId: owner.userId });
    const draft = eventState({ organizerId: owner.userId, status: 'draft' });
    directory.apply('event.published', published);
    directory.apply('event.created', draft);
    const channel = (name: string) => parseChannel(name)!;

    expect(mayListen(channel(`event:${published.eventId}`), null, directory)).toBe(true);
    expect(mayListen(channel(`event:${draft.eventId}`), other, directory)).toBe(false);
    expect(mayListen(channel(`event:${draft.eventId}`), owner, directory)).toBe(true);
    expect(mayListen(channel(`event:${randomUUID()}`), owner, directory)).toBe(false);
    expect(mayListen(channel(`organizer:${published.eventId}`), owner, directory)).toBe(true);
    expect(mayListen(channel(`organizer:${published.eventId}`), other, directory)).toBe(false);
    expect(mayListen(channel(`organizer:${published.eventId}`), null, directory)).toBe(false);
    expect(mayListen(channel(`user:${other.userId}`), other, directory)).toBe(true);
    expect(mayListen(channel(`user:${other.userId}`), owner, directory)).toBe(false);

    directory.apply('event.deleted', { eventId: published.eventId, organizerId: owner.userId });
    expect(mayListen(channel(`event:${published.eventId}`), null, directory)).toBe(false);
  });

  it('counts lifecycle messages per event as its revision', () => {
    const directory = new EventDirectory();
    const event = eventState({ organizerId: randomUUID(), status: 'draft' });
    expect(directory.apply('event.created', event).kind).toBe('created');
    expect(directory.apply('event.published', { ...event, status: 'published' }).kind).toBe('status');
    expect(directory.apply('event.updated', { ...event, status: 'published', name: 'Renamed' }).kind).toBe('updated');
    expect(directory.get(event.eventId)).toMatchObject({ name: 'Renamed', revision: 3 });
  });
});
