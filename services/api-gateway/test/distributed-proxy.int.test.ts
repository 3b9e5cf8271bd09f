import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });
});
