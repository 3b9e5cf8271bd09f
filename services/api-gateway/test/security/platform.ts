import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@echoplex/testkit';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { startEmbedded } from '../../src/embedded';

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Account {
  userId: string;
  email: string;
  token: string;
  headers: { authorization: string };
}

export interface Route {
  method: Method;
  /** OpenAPI form, e.g. `/api/events/{id}`. */
  path: string;
  key: string;
  operation: { requestBody?: { content?: Record<string, unknown> } };
}

/** The whole embedded platform on a fresh database: the same composition users run. */
export async function startPlatform(name: string) {
  const database = await createTestDatabase(inject('databaseUrl'), name);
  const platform = await startEmbedded({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    RATE_LIMITS: 'off',
  });
  const app = platform.host.app;
  return {
    app,
    databaseUrl: database.url,
    async close() {
      await platform.host.shutdown();
      await database.drop();
    },
  };
}

export async function signUp(platform: Platform, role: 'organizer' | 'attendee', names = {}): Promise<Account> {
  const email = `${role}-${randomUUID()}@example.test`;
  const response = await platform.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password: 'correct horse battery staple', firstName: 'Test', lastName: role, role, ...names },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return {
    userId: body.user.id,
    email,
    token: body.accessToken,
    headers: { authorization: `Bearer ${body.accessToken}` },
  };
}

const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every operation of the merged OpenAPI document the running platform serves. */
export async function documentedRoutes(platform: Platform): Promise<Route[]> {
  const document = (await platform.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const routes: Route[] = [];
  for (const [path, item] of Object.entries<Record<string, Route['operation']>>(document.paths)) {
    for (const method of methods) {
      const operation = item[method.toLowerCase()];
      if (operation) routes.push({ method, path, key: `${method} ${path}`, operation });
    }
  }
  return routes;
}

export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? randomUUID());
}

export function isProblem(response: LightMyRequestResponse): boolean {
  return String(response.headers['content-type'] ?? '').startsWith('application/problem+json');
}

export function describeResponse(response: LightMyRequestResponse): string {
  return `${response.statusCode} ${response.headers['content-type'] ?? ''} ${response.body.slice(0, 200)}`;
}
