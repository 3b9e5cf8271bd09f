import { resolve } from 'node:path';
import { createTestDatabase, eventually, freePort, type ServerProcess, startServerProcess } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestClient } from '../../realtime-gateway/test/support/ws-client';

interface Session {
  accessToken: string;
  refreshToken: string;
}

const servicesDir = resolve(import.meta.dirname, '../..');
const password = 'violet kettle harbour 42';

// Distributed mode for real: identity, events and the realtime gateway each in a process of its own,
// the run's Kafka broker between them, remote JWKS. Identity ends a session; the other processes
// learn it only from the bus.
describe('ending a session across processes', () => {
  const processes: ServerProcess[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let identityUrl: string;
  let common: Record<string, string>;
  const clients: TestClient[] = [];

  const start = async (service: string, env: Record<string, string> = {}) => {
    const started = await startServerProcess(resolve(servicesDir, service, 'src/main.ts'), { ...common, ...env });
    processes.push(started);
    const ready = await fetch(`${started.baseUrl}/ready`).then((response) => response.ok);
    if (!ready) throw new Error(`${service} did not become ready:\n${started.output().slice(-3_000)}`);
    return started;
  };
  const post = (path: string, body: unknown, accessToken?: string) =>
    fetch(`${identityUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const login = async (email: string) => (await (await post('/api/auth/login', { email, password })).json()) as Session;
  /** An authenticated request to another service's process: 200 while the token works, 401 once refused. */
  const statusAt = async (baseUrl: string, accessToken: string) =>
    (await fetch(`${baseUrl}/api/events?mine=true`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
  const refusedWithin5s = (baseUrl: string, accessToken: string) =>
    eventually(
      () => statusAt(baseUrl, accessToken),
      (status) => status === 401,
      5_000,
    );

  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'sessions_distributed');
    const identityPort = await freePort();
    identityUrl = `http://127.0.0.1:${identityPort}`;
    common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      OTEL_SDK_DISABLED: 'true',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
    };
    processes.push(
      await startServerProcess(resolve(servicesDir, 'identity/src/main.ts'), common, { port: identityPort }),
    );
  }, 180_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const started of processes) started.child.kill('SIGKILL');
    await Promise.all(processes.map((started) => started.exited));
    await database?.drop();
  });

  it('logout and password change end those sessions in the events process and the realtime gateway; other sessions keep working; a restarted process still knows', async () => {
    const events = await start('events');
    const realtime = await start('realtime-gateway');
    const email = `sessions-${Date.now()}@example.test`;
    const registered = await post('/api/auth/register', {
      email,
      password,
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'organizer',
    });
    expect(registered.status).toBe(201);
    const { user, ...loggedOut } = (await registered.json()) as Session & { user: { id: string } };
    const [changedAway, changer] = [await login(email), await login(email)];
    for (const session of [loggedOut, changedAway, changer])
      expect(await statusAt(events.baseUrl, session.accessToken)).toBe(200);
    const socketOf = async (session: Session) => {
      const client = await TestClient.signedIn(`${realtime.baseUrl.replace('http:', 'ws:')}/ws`, session.accessToken);
      clients.push(client);
      expect(await client.subscribe(`user:${user.id}`, 0)).toMatchObject({ type: 'subscribed' });
      return client;
    };
    const [loggedOutSocket, changedAwaySocket, changerSocket] = [
      await socketOf(loggedOut),
      await socketOf(changedAway),
      await socketOf(changer),
    ];

    expect((await post('/api/auth/logout', { refreshToken: loggedOut.refreshToken })).status).toBe(204);

    expect(await refusedWithin5s(events.baseUrl, loggedOut.accessToken)).toBe(401);
    expect(
      await loggedOutSocket.next((frame) => frame.channel === `user:${user.id}` && frame.type === 'error', 5_000),
    ).toMatchObject({ code: 'unauthorized' });
    expect(await statusAt(events.baseUrl, changedAway.accessToken)).toBe(200);

    const changed = await post(
      '/api/users/me/password',
      { currentPassword: password, newPassword: 'saffron lighthouse tandem 8' },
      changer.accessToken,
    );
    expect(changed.status).toBe(204);

    expect(await refusedWithin5s(events.baseUrl, changedAway.accessToken)).toBe(401);
    expect(
      await changedAwaySocket.next((frame) => frame.channel === `user:${user.id}` && frame.type === 'error', 5_000),
    ).toMatchObject({ code: 'unauthorized' });
    expect(await statusAt(events.baseUrl, changer.accessToken)).toBe(200);
    expect(await changerSocket.subscribe(`user:${user.id}`, 0)).toMatchObject({ type: 'subscribed' });
    expect(changerSocket.frames.filter((frame) => frame.type === 'error')).toEqual([]);

    // A process that starts after the revocations reads them from the topic before it is ready.
    const restarted = await start('events');
    expect(await statusAt(restarted.baseUrl, loggedOut.accessToken)).toBe(401);
    expect(await statusAt(restarted.baseUrl, changedAway.accessToken)).toBe(401);
    expect(await statusAt(restarted.baseUrl, changer.accessToken)).toBe(200);
  }, 240_000);
});
