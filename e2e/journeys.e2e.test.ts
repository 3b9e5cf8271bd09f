import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { fillAccount, launchChromium, screenshot } from './browser';
import { type RunningPlatform, startPlatform } from './platform';

/**
 * The four journeys of issue 10, in Debian's Chromium against the real embedded stack: real
 * services, real PostgreSQL, the in-process bus, the fake Stripe with signed webhooks, and the SPA
 * built from these sources. They run in order: each journey continues where the previous left off,
 * as one organizer and one attendee would.
 */
describe('browser journeys', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let organizerContext: BrowserContext;
  let attendeeContext: BrowserContext;
  let organizer: Page;
  let attendee: Page;
  let attendeeWatching: Page;
  const run = Date.now().toString(36);
  const eventName = `Harbour Jazz Night ${run}`;
  let eventUrl = '';
  let eventId = '';

  beforeAll(async () => {
    platform = await startPlatform(inject('databaseUrl'));
    browser = await launchChromium();
    organizerContext = await browser.newContext({ baseURL: platform.baseUrl, viewport: { width: 1280, height: 900 } });
    // The attendee is on a phone.
    attendeeContext = await browser.newContext({
      baseURL: platform.baseUrl,
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    for (const context of [organizerContext, attendeeContext]) context.setDefaultTimeout(20_000);
    organizer = await organizerContext.newPage();
    attendee = await attendeeContext.newPage();
  });

  // A failed step leaves a picture of every open page, to see what the browser saw.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const pages = [...(organizerContext?.pages() ?? []), ...(attendeeContext?.pages() ?? [])];
    const step = context.task.name.split('.')[0];
    await Promise.all(pages.map((page, index) => screenshot(page, `failed-${step}-page-${index}`).catch(() => {})));
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('1. an organizer registers, creates an event with a free and a paid ticket type, uploads an image and publishes it', async () => {
    await organizer.goto('/register');
    await organizer.getByRole('radio', { name: /Organize events/ }).check();
    await fillAccount(organizer, { firstName: 'Grace', lastName: 'Hopper', email: `grace.${run}@example.com` });
    await screenshot(organizer, '1-1-organizer-signs-up');
    await organizer.getByRole('button', { name: 'Create account' }).click();
    await organizer.waitForURL('**/organizer');
    await organizer.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();

    await organizer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Create event' }).click();
    await organizer.getByLabel('Name', { exact: true }).fill(eventName);
    await organizer
      .getByLabel('Description', { exact: true })
      .fill('An evening of live jazz by the harbour.\n\nDoors open at six.');
    await organizer.getByLabel('Starts', { exact: true }).fill(localInput(daysFromNow(7, 18)));
    await organizer.getByLabel('Ends', { exact: true }).fill(localInput(daysFromNow(7, 23)));
    await organizer.getByLabel('Venue', { exact: true }).fill('Pier 4 Warehouse');
    await organizer.getByLabel('City', { exact: true }).fill('Hamburg');
    await organizer.getByLabel('Country code', { exact: true }).fill('DE');
    await organizer.getByLabel('Capacity', { exact: true }).fill('50');
    await organizer.getByRole('checkbox', { name: 'music' }).check();
    await screenshot(organizer, '1-2-event-details');
    await organizer.getByRole('button', { name: 'Save draft' }).click();
    await organizer.waitForURL(/\/organizer\/events\/[^/]+\/edit$/);
    eventId = new URL(organizer.url()).pathname.split('/')[3]!;
    eventUrl = `/events/${eventId}`;
    await organizer.getByText('Draft saved.').waitFor();

    await addTicketType(organizer, { name: 'Community', price: '0', quantity: '10' });
    await addTicketType(organizer, { name: 'Standard', price: '25.00', quantity: '20' });
    await screenshot(organizer, '1-3-ticket-types');

    // Any real PNG will do as a cover: the page's own screenshot is one.
    const cover = await organizer.screenshot({ type: 'png' });
    await organizer
      .getByLabel('Upload an image', { exact: true })
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: cover });
    await organizer.getByText('Image uploaded.').waitFor();
    await organizer.getByRole('img', { name: 'The event as currently shown' }).waitFor();
    await screenshot(organizer, '1-4-image-uploaded');

    await organizer.getByRole('button', { name: 'Publish' }).click();
    const dialog = organizer.getByRole('dialog', { name: 'Publish this event?' });
    await screenshot(organizer, '1-5-publish-confirmation');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await organizer.getByRole('button', { name: 'Unpublish' }).waitFor();
    expect(await organizer.locator('.event-nav .badge').textContent()).toBe('Published');
    await screenshot(organizer, '1-6-published');
  });

  it('2. an attendee finds the event by search, buys the paid ticket with the test card and sees the code and QR code', async () => {
    expect(eventId, 'journey 1 publishes the event this journey buys from').not.toBe('');
    // Journey 3 watches these two pages while the attendee buys.
    await organizer.getByRole('link', { name: 'Live sales' }).click();
    await organizer.getByRole('heading', { name: 'Live sales' }).waitFor();
    await organizer.getByText('Live', { exact: true }).waitFor();
    await organizer.getByTestId('kpi-sold').filter({ hasText: /^0\b/ }).waitFor();
    await markDocument(organizer);
    await screenshot(organizer, '2-0-sales-before');

    await attendee.goto('/register');
    await fillAccount(attendee, { firstName: 'Ada', lastName: 'Lovelace', email: `ada.${run}@example.com` });
    await attendee.getByRole('button', { name: 'Create account' }).click();
    await attendee.waitForURL('**/events');
    // The refresh token is an HttpOnly cookie no script can read, and a reload signs back in through it.
    const refreshCookie = (await attendeeContext.cookies()).find((cookie) => cookie.name === 'echoplex_refresh');
    expect(refreshCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
    const readable = await attendee.evaluate(() => document.cookie + JSON.stringify({ ...localStorage }));
    expect(readable).not.toContain(refreshCookie?.value);
    const restored = attendee.waitForResponse((response) => response.url().endsWith('/api/users/me'));
    await attendee.reload();
    expect((await restored).status()).toBe(200);

    attendeeWatching = await attendeeContext.newPage();
    await attendeeWatching.goto(eventUrl);
    await ticketRow(attendeeWatching, 'Standard').filter({ hasText: '20 left' }).waitFor();
    await attendeeWatching.getByText('Live', { exact: true }).waitFor();
    await markDocument(attendeeWatching);

    await attendee.getByLabel('Search', { exact: true }).fill(`Harbour Jazz ${run}`);
    await attendee.getByRole('button', { name: 'Search' }).click();
    await attendee.getByRole('link', { name: eventName }).waitFor();
    await screenshot(attendee, '2-1-search-results');
    await attendee.getByRole('link', { name: eventName }).click();
    await attendee.getByRole('heading', { name: eventName }).waitFor();
    await ticketRow(attendee, 'Standard').filter({ hasText: '20 left' }).waitFor();
    await attendee.getByRole('radio', { name: /Standard/ }).check();
    await screenshot(attendee, '2-2-event-page');
    await attendee.getByRole('button', { name: 'Get tickets' }).click();

    await attendee.getByRole('heading', { name: 'Who is coming?' }).waitFor();
    expect(await attendee.getByLabel('Email', { exact: true }).inputValue()).toBe(`ada.${run}@example.com`);
    await attendee.getByRole('button', { name: 'Continue to payment' }).click();
    await attendee.getByRole('heading', { name: 'Payment' }).waitFor();
    expect(await attendee.getByLabel('Card number', { exact: true }).inputValue()).toBe('4242 4242 4242 4242');
    await screenshot(attendee, '2-3-payment');
    await attendee.getByRole('button', { name: /^Pay / }).click();

    await attendee.getByRole('heading', { name: 'You are going!' }).waitFor({ timeout: 30_000 });
    const code = await attendee.getByTestId('confirmation-code').textContent();
    expect(code).toMatch(/\S{4,}/);
    await attendee.getByRole('img', { name: /QR code of ticket 1/ }).waitFor();
    await screenshot(attendee, '2-4-confirmation');
  });

  it('3. the sales page shows the sale and the event page the lower availability, both without a reload', async () => {
    expect(attendeeWatching, 'journey 2 makes the purchase this journey watches').toBeDefined();
    await organizer.getByTestId('kpi-sold').filter({ hasText: /^1\b/ }).waitFor();
    await organizer
      .locator('.activity li')
      .filter({ hasText: 'Confirmed' })
      .filter({ hasText: 'Standard' })
      .first()
      .waitFor();
    expect(await sameDocument(organizer)).toBe(true);
    await screenshot(organizer, '3-1-sales-after');

    await ticketRow(attendeeWatching, 'Standard').filter({ hasText: '19 left' }).waitFor();
    expect(await sameDocument(attendeeWatching)).toBe(true);
    await screenshot(attendeeWatching, '3-2-availability-after');
  });

  it('4. the organizer checks the ticket in, a second scan says "already checked in", and analytics shows the sale and the check-in', async () => {
    expect(await attendee.getByTestId('confirmation-code').count(), 'journey 2 bought the ticket checked in here').toBe(
      1,
    );
    const ticketCode = (await attendee.locator('.ticket code').first().textContent())?.trim() ?? '';
    expect(ticketCode).not.toBe('');

    const door = await organizerContext.newPage();
    await door.goto(`/organizer/events/${eventId}/check-in`);
    await door.getByRole('heading', { name: 'Check-in' }).waitFor();
    await door.getByTestId('checked-in-count').filter({ hasText: /^0$/ }).waitFor();
    await door.getByLabel('Ticket code', { exact: true }).fill(ticketCode);
    await door.getByRole('button', { name: 'Check in' }).click();
    await door.getByTestId('check-in-outcome').filter({ hasText: 'Checked in' }).waitFor();
    await door.getByTestId('checked-in-count').filter({ hasText: /^1$/ }).waitFor();
    await screenshot(door, '4-1-checked-in');

    await door.getByLabel('Ticket code', { exact: true }).fill(ticketCode);
    await door.getByRole('button', { name: 'Check in' }).click();
    await door.getByTestId('check-in-outcome').filter({ hasText: 'Already checked in' }).waitFor();
    await door.getByTestId('checked-in-count').filter({ hasText: /^1$/ }).waitFor();
    await screenshot(door, '4-2-already-checked-in');

    // The charts come from the analytics service's reporting tables, not from the socket.
    await organizer.getByText('Registrations per hour (last 48 hours) (total 1)').waitFor({ timeout: 30_000 });
    await organizer.getByText('Check-ins per hour (last 48 hours) (total 1)').waitFor({ timeout: 30_000 });
    await organizer.getByText(/Revenue per day \(total €25\.00\)/).waitFor({ timeout: 30_000 });
    await organizer.getByTestId('kpi-checkins').filter({ hasText: /^1$/ }).waitFor();
    expect(await sameDocument(organizer)).toBe(true);
    await screenshot(organizer, '4-3-analytics');
  });
});

async function addTicketType(page: Page, ticketType: { name: string; price: string; quantity: string }) {
  const form = page.getByRole('form', { name: 'New ticket type' });
  await form.getByLabel('Ticket name', { exact: true }).fill(ticketType.name);
  await form.getByLabel('Price', { exact: true }).fill(ticketType.price);
  await form.getByLabel('Quantity', { exact: true }).fill(ticketType.quantity);
  await form.getByRole('button', { name: 'Add ticket type' }).click();
  await page.getByText(`Added "${ticketType.name}".`).waitFor();
}

function ticketRow(page: Page, name: string) {
  return page.locator(`label[data-ticket-type="${name}"]`);
}

/** A flag on the page's window: still there later means the document was never reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __echoplexSameDocument: boolean }).__echoplexSameDocument = true;
  });
}

function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __echoplexSameDocument?: boolean }).__echoplexSameDocument === true,
  );
}

function daysFromNow(days: number, hour: number): Date {
  const date = new Date();
  date.setDate(date.getDate() + days);
  date.setHours(hour, 0, 0, 0);
  return date;
}

/** `YYYY-MM-DDTHH:mm` in the local zone, as `<input type="datetime-local">` takes it. */
function localInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
