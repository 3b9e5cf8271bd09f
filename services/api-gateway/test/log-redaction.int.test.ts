import { resolve } from 'node:path';
import { createTestDatabase, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

// The real platform as its own process with its real JSON logs on stdout, debug level.
describe('logs keep secrets out', () => {
  let server: ServerProcess | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await database?.drop();
  });

  it('no log line of a registration, login, refresh and authenticated call contains the password or a token', async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'logs');
    server = await startServerProcess(resolve(import.meta.dirname, '../src/main.ts'), {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'debug',
      SEED: 'off',
      RATE_LIMITS: 'off',
    });
    const base = server.baseUrl;

    const password = 'Velvet-Harbor-Quince-71';
    const email = `logs-${Date.now()}@example.org`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const registered = await post('/api/auth/register', {
      email,
      password,
      firstName: 'Log',
      lastName: 'Check',
      role: 'attendee',
    });
    expect(registered.status).toBe(201);
    const login = (await (await post('/api/auth/login', { email, password })).json()) as Tokens;
    const refreshed = (await (await post('/api/auth/refresh', { refreshToken: login.refreshToken })).json()) as Tokens;
    const me = await fetch(`${base}/api/users/me`, { headers: { authorization: `Bearer ${refreshed.accessToken}` } });
    expect(me.status).toBe(200);
    await post('/api/auth/login', { email, password: `${password}-wrong` });
    await new Promise((done) => setTimeout(done, 500));

    const output = server.output();
    expect(output).toContain('"url":"/api/auth/login"');
    for (const secret of [
      password,
      login.accessToken,
      login.refreshToken,
      refreshed.accessToken,
      refreshed.refreshToken,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
