import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, describeResponse, type Platform, signUp, startPlatform } from './platform';

/**
 * CSV formula injection (OWASP): names and emails chosen by attendees end up in the organizer's
 * spreadsheet. Ticketing prefixes a cell starting with = + - @ (or tab / carriage return) with an
 * apostrophe so spreadsheets show it as text (services/ticketing/src/domain/csv.ts).
 */

/** RFC 4180 parsing: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const formulas = {
  firstName: '=HYPERLINK("http://evil.example","click")',
  lastName: '+SUM(1,2)',
  attendeeFirst: '-2+3',
  attendeeLast: '@SUM(A1:A9)',
  tabbed: '\t=1+1',
};

describe('CSV export against formula injection', () => {
  let platform: Platform;
  let organizer: Account;
  let attacker: Account;
  let eventId: string;

  beforeAll(async () => {
    platform = await startPlatform('security_csv');
    organizer = await signUp(platform, 'organizer');
    // the account's own name and an email whose local part starts with a formula character
    attacker = await signUp(platform, 'attendee', { firstName: formulas.firstName, lastName: formulas.lastName });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('escapes every formula-looking cell of the attendee export', async () => {
    const { app } = platform;
    const event = await app.inject({
      method: 'POST',
      url: '/api/events',
      headers: organizer.headers,
      payload: {
        name: 'CSV target',
        startTime: '2030-03-01T18:00:00.000Z',
        endTime: '2030-03-01T22:00:00.000Z',
        location: 'Hall',
        capacity: 10,
      },
    });
    expect(event.statusCode, describeResponse(event)).toBe(201);
    eventId = event.json().id;
    const ticketType = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: `/api/events/${eventId}/tickets`,
          headers: organizer.headers,
          payload: { name: '=cmd|" /C calc"!A0', price: 0, currency: 'eur', quantity: 10 },
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

    const register = (payload: object) =>
      eventually(
        () =>
          app.inject({
            method: 'POST',
            url: '/api/registrations',
            headers: attacker.headers,
            payload: { eventId, ticketTypeId: ticketType.json().id, ...payload },
          }),
        (response) => response.statusCode === 201,
      );
    const registration = await register({
      quantity: 2,
      attendees: [
        { firstName: formulas.attendeeFirst, lastName: formulas.attendeeLast, email: '+1@example.test' },
        { firstName: formulas.tabbed, lastName: 'Plain', email: '-dash@example.test' },
      ],
    });
    expect(registration.statusCode, describeResponse(registration)).toBe(201);

    const exported = await app.inject({
      method: 'GET',
      url: `/api/events/${eventId}/registrations?format=csv`,
      headers: organizer.headers,
    });
    expect(exported.statusCode, describeResponse(exported)).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(exported.body);
    const cells = rows.slice(1).flat();
    expect(rows.length).toBe(3);

    // the exact escape ticketing applies: a leading apostrophe, the value otherwise intact
    for (const value of [formulas.attendeeFirst, formulas.attendeeLast, '+1@example.test', '-dash@example.test']) {
      expect(cells).toContain(`'${value}`);
    }
    // names are trimmed on the way in, so the tab that would hide the formula is gone and the rest is escaped
    expect(cells).toContain(`'${formulas.tabbed.trim()}`);
    expect(cells).toContain(`'=cmd|" /C calc"!A0`);
    // and nothing anywhere in the file would run as a formula
    const live = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell));
    expect(live).toEqual([]);
  });

  it('escapes the account name used when a ticket names no attendee', async () => {
    const { app } = platform;
    const ticketTypes = (await app.inject({ method: 'GET', url: `/api/events/${eventId}/tickets` })).json();
    const list = Array.isArray(ticketTypes) ? ticketTypes : ticketTypes.items;
    const second = await app.inject({
      method: 'POST',
      url: `/api/events/${eventId}/tickets`,
      headers: organizer.headers,
      payload: { name: 'Second', price: 0, currency: 'eur', quantity: 10 },
    });
    expect(second.statusCode, describeResponse(second)).toBe(201);
    expect(list.length).toBeGreaterThan(0);
    const registration = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: '/api/registrations',
          headers: attacker.headers,
          payload: { eventId, ticketTypeId: second.json().id },
        }),
      (response) => response.statusCode === 201,
    );
    expect(registration.statusCode, describeResponse(registration)).toBe(201);
    // the account's names reach ticketing from identity's topic: eventually
    const exported = await eventually(
      () =>
        app.inject({
          method: 'GET',
          url: `/api/events/${eventId}/registrations?format=csv`,
          headers: organizer.headers,
        }),
      (response) => response.body.includes('SUM(1,2)'),
    );
    const cells = parseCsv(exported.body).slice(1).flat();
    expect(cells).toContain(`'${formulas.firstName}`);
    expect(cells).toContain(`'${formulas.lastName}`);
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });
});
