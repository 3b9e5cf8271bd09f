import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResponse, documentedRoutes, fillPath, isProblem, type Platform, startPlatform } from './platform';

/**
 * PostgreSQL cannot store or compare text holding NUL, so a `%00` that reached a query would fail
 * there as a 500. Every GET route of the platform, documented or operational, is called with `%00`
 * in each path parameter and in a query parameter, and must refuse it as a bad request.
 */

/** Routes every process serves that the OpenAPI document leaves out. */
const operationalPaths = ['/health', '/ready', '/metrics', '/openapi.json', '/.well-known/jwks.json'];

interface Operation {
  parameters?: { in: string; name: string }[];
}

function refusal(label: string, response: LightMyRequestResponse): string | undefined {
  const body = isProblem(response) ? response.json() : undefined;
  if (response.statusCode === 400 && body?.code === 'validation_failed') return undefined;
  return `${label}: ${describeResponse(response)}`;
}

describe('NUL bytes in the URL', () => {
  let platform: Platform;
  let getPaths: { path: string; queryNames: string[] }[];

  beforeAll(async () => {
    platform = await startPlatform('security_nul_bytes');
    const document = (await platform.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    getPaths = (await documentedRoutes(platform))
      .filter((route) => route.method === 'GET')
      .map((route) => {
        const operation = document.paths[route.path].get as Operation;
        const queryNames = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        return { path: route.path, queryNames };
      });
    for (const path of operationalPaths) getPaths.push({ path, queryNames: [] });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('refuses %00 in every path parameter of every GET route with 400 validation_failed', async () => {
    const withParams = getPaths.filter(({ path }) => path.includes('{'));
    const failures: string[] = [];
    for (const { path } of withParams) {
      for (const param of path.match(/\{\w+\}/g) ?? []) {
        const url = fillPath(path.replace(param, 'nul%00byte'), {});
        const failure = refusal(`GET ${url}`, await platform.app.inject({ method: 'GET', url }));
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
    expect(withParams.length).toBeGreaterThan(5);
  });

  it('refuses %00 in a query parameter of every GET route with 400 validation_failed', async () => {
    const failures: string[] = [];
    for (const { path, queryNames } of getPaths) {
      for (const name of queryNames.length > 0 ? queryNames : ['q']) {
        for (const value of ['%00', 'a%00b']) {
          const url = `${fillPath(path, {})}?${name}=${value}`;
          const failure = refusal(`GET ${url}`, await platform.app.inject({ method: 'GET', url }));
          if (failure) failures.push(failure);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(getPaths.length).toBeGreaterThan(20);
  });

  it('answers a path that matches no route with a 400 problem, never a 500', async () => {
    for (const url of ['/%00', '/api/no-such%00route', '/api/events/%00/nowhere?x=%00']) {
      const response = await platform.app.inject({ method: 'GET', url });
      expect(refusal(url, response)).toBeUndefined();
    }
  });

  it('still serves the same routes without the NUL', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/api/events?q=a%20b' });
    expect(response.statusCode, describeResponse(response)).toBe(200);
  });
});
