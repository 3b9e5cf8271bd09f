import { resolve } from 'node:path';
import { createTestDatabase, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { demoAccounts } from '../src/seed';

interface Page {
  items: { id: string; name: string; status: string }[];
}

async function page(url: string, token?: string): Promise<Page> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return (await response.json()) as Page;
}

const main = resolve(import.meta.dirname, '../src/main.ts');

async function signIn(baseUrl: string, email: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demoAccounts.password }),
  });
  const body = (await response.json()) as { accessToken?: string };
  return { status: response.status, token: body.accessToken };
}

// `npm start` as a user runs it, on the real PostgreSQL of the run, interrupted by Ctrl-C (SIGINT)
// while it seeds, then started again.
describe('sample data', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  it('a start interrupted while seeding is completed by the next one', async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'seed_resume');
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', WEB_DIST: '/nonexistent', SEED: 'on' };
    server = await startServerProcess(main, env);
    const first = server;
    // Interrupted as soon as the first sample event is on sale: most of the seeding is still to come.
    await expect
      .poll(async () => (await page(`${first.baseUrl}/api/events?limit=1`)).items.length, {
        timeout: 120_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    first.child.kill('SIGINT');
    await first.exited;
    expect(first.output()).not.toContain('EchoPlex is running');

    server = await startServerProcess(main, env);
    const second = server;
    await expect.poll(() => second.output(), { timeout: 180_000, interval: 200 }).toContain('EchoPlex is running');

    expect((await signIn(second.baseUrl, demoAccounts.attendee.email)).status).toBe(200);
    let published = 0;
    for (const organizer of demoAccounts.organizers) {
      const { status, token } = await signIn(second.baseUrl, organizer.email);
      expect(status, organizer.email).toBe(200);
      const mine = await page(`${second.baseUrl}/api/events?mine=true&limit=100`, token);
      expect(mine.items, organizer.email).toHaveLength(8);
      published += mine.items.filter((event) => event.status === 'published').length;
      for (const event of mine.items) {
        const tickets = await page(`${second.baseUrl}/api/events/${event.id}/tickets`, token);
        expect(tickets.items, event.name).toHaveLength(2);
      }
    }
    expect(published).toBe(21);
  }, 400_000);
});
