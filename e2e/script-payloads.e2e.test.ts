import { eventually } from '@echoplex/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fillAccount, launchChromium, screenshot } from './browser';
import { type RunningPlatform, startPlatform } from './platform';

/**
 * Issue 12, in Debian's Chromium against the real embedded stack and the SPA built from these
 * sources: an organizer's event text full of script payloads reaches attendees as text. Every
 * payload would set `window.__xss` and open a dialog if it ran; it also would have to exist as an
 * element or attribute in the document, which is checked too.
 */
describe('script payloads in event text', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  const run = Date.now().toString(36);
  const title = `<script>window.__xss='title';alert('title')</script>Gala ${run}<img src=x onerror="window.__xss='title-img';alert('title-img')">`;
  const description = [
    `<a href="javascript:window.__xss='link';alert('link')">Read more</a>`,
    `[Tickets](javascript:window.__xss='markdown')`,
    `<iframe src="javascript:window.__xss='iframe'"></iframe>`,
  ].join('\n\n');
  const venue = `"><svg onload="window.__xss='venue';alert('venue')">Pier 9`;
  const ticketTypeName = `"><img src=x onerror="window.__xss='ticket';alert('ticket')">Balcony`;

  beforeAll(async () => {
    platform = await startPlatform(inject('databaseUrl'));
    browser = await launchChromium();
    await publishEventAsOrganizer();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function api(path: string, init: { method?: string; token?: string; body?: object } = {}) {
    const response = await fetch(`${platform.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }

  async function publishEventAsOrganizer() {
    const signedUp = await api('/api/auth/register', {
      method: 'POST',
      body: {
        email: `mallory.${run}@example.com`,
        password: 'a long and uncommon passphrase',
        firstName: 'Mallory',
        lastName: 'Organizer',
        role: 'organizer',
      },
    });
    expect(signedUp.status).toBe(201);
    const token: string = signedUp.body.accessToken;
    const start = new Date(Date.now() + 7 * 86_400_000);
    const event = await api('/api/events', {
      method: 'POST',
      token,
      body: {
        name: title,
        description,
        location: venue,
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
        capacity: 40,
      },
    });
    expect(event.status).toBe(201);
    expect(event.body.name).toBe(title);
    // ticketing learns of the event from the bus
    const ticketType = await eventually(
      () =>
        api(`/api/events/${event.body.id}/tickets`, {
          method: 'POST',
          token,
          body: { name: ticketTypeName, price: 0, currency: 'eur', quantity: 20 },
        }),
      (response) => response.status === 201,
    );
    expect(ticketType.status).toBe(201);
    const published = await api(`/api/events/${event.body.id}/publish`, { method: 'POST', token });
    expect(published.status).toBe(200);
  }

  /** Everything a payload would leave behind had it run or become markup. */
  async function traces(page: Page) {
    return page.evaluate(() => ({
      flag: (window as unknown as { __xss?: unknown }).__xss,
      injected: document.querySelectorAll(
        'img[src="x"], svg[onload], [onerror], [onload], iframe, a[href^="javascript:" i], script:not([src])',
      ).length,
    }));
  }

  it('shows the attendee the payloads as text in the event list and on the event page, and runs none', async () => {
    const context = await browser.newContext({ baseURL: platform.baseUrl, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.goto('/register');
    await fillAccount(page, { firstName: 'Ada', lastName: 'Attendee', email: `ada.${run}@example.com` });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/events');
    await page.getByRole('link', { name: title }).waitFor();
    await page.getByText(venue, { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'xss-1-event-list');
    expect(await traces(page)).toEqual({ flag: undefined, injected: 0 });

    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByText(venue, { exact: false }).first().waitFor();
    await page.getByText(ticketTypeName, { exact: false }).first().waitFor();
    for (const line of description.split('\n\n')) await page.getByText(line, { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'xss-2-event-page');
    expect(await traces(page)).toEqual({ flag: undefined, injected: 0 });
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
