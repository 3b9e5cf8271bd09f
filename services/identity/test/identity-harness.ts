import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from '@echoplex/bus';
import type { TopicName } from '@echoplex/contracts';
import { createDatabase, type Kysely } from '@echoplex/db';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { expect } from 'vitest';
import type { IdentityDb } from '../src/db/schema';
import { createIdentityService, type IdentityOptions } from '../src/plugin';

export const strongPassword = 'violet kettle harbour 42';

export interface IdentityHarness extends TestServices {
  /** Direct access to the identity schema, to arrange what the API cannot (backdated rows). */
  db: Kysely<IdentityDb>;
}

/**
 * Hosts the real identity service on a fresh database with an empty key ring, so identity fills
 * it with its own keys exactly as in production. Rate limits are off unless a test asks for them.
 */
export async function startIdentity(
  options: { env?: Record<string, string>; identity?: IdentityOptions } = {},
): Promise<IdentityHarness> {
  const services = await startServicesForTests([createIdentityService(options.identity)], {
    keyRing: { jwks: { keys: [] } },
    env: { RATE_LIMITS: 'off', ...options.env },
  });
  const database = createDatabase<unknown>({ url: services.databaseUrl, poolMax: 2 });
  return {
    ...services,
    db: database.kysely.withSchema('identity') as unknown as Kysely<IdentityDb>,
    async close() {
      await database.close();
      await services.close();
    },
  };
}

/** Every message identity publishes on `topic` from now on, as a consumer of its own would get it. */
export async function collectPublished(
  services: TestServices,
  topic: TopicName,
  group: string,
): Promise<IncomingMessage[]> {
  const published: IncomingMessage[] = [];
  await services.transport.subscribe({
    group,
    topics: [topic],
    fromBeginning: true,
    handle: async (message) => {
      published.push(message);
    },
  });
  return published;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}.${randomUUID().slice(0, 8)}@example.test`;
}

export interface SignedIn {
  user: { id: string; email: string; role: string; firstName: string; lastName: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export async function register(
  app: TestServices['app'],
  overrides: Partial<{ email: string; password: string; firstName: string; lastName: string; role: string }> = {},
): Promise<SignedIn & { password: string }> {
  const body = {
    email: uniqueEmail(),
    password: strongPassword,
    firstName: 'Ada',
    lastName: 'Lovelace',
    role: 'attendee',
    ...overrides,
  };
  const response = await app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return { ...(response.json() as SignedIn), password: body.password };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** The reset token from the newest email to `to`; mail is sent in the background, so this waits for it. */
export async function resetTokenFromMailbox(app: TestServices['app'], to: string, count = 1): Promise<string> {
  const items = await eventually(
    async () =>
      (await app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(to)}` })).json().items as {
        text: string;
      }[],
    (found) => found.length >= count,
  );
  expect(items.length).toBeGreaterThanOrEqual(count);
  const token = /Reset token: (\S+)/.exec(items[0]?.text ?? '')?.[1];
  expect(token).toBeDefined();
  return token as string;
}
