import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startDistributedGateway } from '../src/distributed';

// A stand-in identity process that answers with the headers the gateway forwarded to it.
let upstream: Server;
let gateway: Awaited<ReturnType<typeof startDistributedGateway>>;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.headers));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  gateway = await startDistributedGateway({ IDENTITY_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent' });
});
afterAll(async () => {
  await gateway?.close();
  upstream?.close();
});

describe('distributed gateway → services', () => {
  it('states the client address itself, replacing one the client made up', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '203.0.113.7',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
      payload: {},
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'http' });
    // A proxied answer carries the origin's security headers like any other.
    expect(response.headers).toMatchObject({ 'x-frame-options': 'SAMEORIGIN', 'x-content-type-options': 'nosniff' });
    expect(response.headers['content-security-policy']).toContain("script-src 'self' https://js.stripe.com;");
  });
});

describe('distributed gateway → realtime gateway', () => {
  it('states the client address on the upgrade, replacing one the client made up', async () => {
    const realtime = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(realtime, 'listening');
    const upgrades: IncomingMessage[] = [];
    realtime.on('connection', (_socket, request) => upgrades.push(request));
    const distributed = await startDistributedGateway({
      REALTIME_URL: `http://127.0.0.1:${(realtime.address() as AddressInfo).port}`,
      LOG_LEVEL: 'silent',
    });
    try {
      await distributed.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = distributed.app.server.address() as AddressInfo;
      const client = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { 'x-forwarded-for': '10.9.9.9' } });
      await once(client, 'open');
      await eventually(
        async () => upgrades.length,
        (count) => count === 1,
      );
      client.close();

      expect(upgrades[0]?.headers['x-forwarded-for']).toBe('127.0.0.1');
    } finally {
      await distributed.close();
      realtime.close();
    }
  });
});

describe('distributed gateway → split-off instances', () => {
  const servers: Server[] = [];
  /** A stand-in process that answers with its own name and the path it was asked for. */
  async function standIn(name: string) {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ name, url: request.url }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  afterAll(() => {
    for (const server of servers) server.close();
  });

  async function askThrough(env: NodeJS.ProcessEnv, method: 'GET' | 'POST', url: string) {
    const distributed = await startDistributedGateway({ ...env, LOG_LEVEL: 'silent' });
    try {
      const response = await distributed.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(response.statusCode).toBe(200);
      return response.json();
    } finally {
      await distributed.close();
    }
  }

  it('sends page views to the ingest instances and every other analytics path to the main one', async () => {
    const env = { ANALYTICS_URL: await standIn('analytics'), ANALYTICS_INGEST_URL: await standIn('analytics-ingest') };

    expect(await askThrough(env, 'POST', '/api/analytics/page-views')).toEqual({
      name: 'analytics-ingest',
      url: '/api/analytics/page-views',
    });
    expect(await askThrough(env, 'GET', '/api/analytics/overview')).toEqual({
      name: 'analytics',
      url: '/api/analytics/overview',
    });
    expect(await askThrough(env, 'GET', '/api/analytics/events/e1/summary?x=1')).toEqual({
      name: 'analytics',
      url: '/api/analytics/events/e1/summary?x=1',
    });
  });

  it('sends page views to the main instance when no ingest instance is configured', async () => {
    const env = { ANALYTICS_URL: await standIn('analytics') };

    expect(await askThrough(env, 'POST', '/api/analytics/page-views')).toEqual({
      name: 'analytics',
      url: '/api/analytics/page-views',
    });
  });
});
