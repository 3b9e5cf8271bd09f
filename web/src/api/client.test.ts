import { describe, expect, it } from 'vitest';
import { FakeGateway, json, memoryStorage, problem } from '../testing/fake-gateway';
import { ApiClient } from './client';
import { identityApi } from './identity-api';
import { ApiProblem, describeProblem, formProblem } from './problem';
import { TokenStore } from './token-store';

function signedInClient(gateway: FakeGateway) {
  const storage = memoryStorage();
  const tokens = new TokenStore(storage);
  tokens.save({ accessToken: 'expired-access', expiresIn: 900 }, 'signedIn');
  return { client: new ApiClient(tokens, gateway.fetch), tokens, storage };
}

/** A protected endpoint that accepts only the given access token, as the services do. */
function protectedRoute(gateway: FakeGateway, validToken: string) {
  gateway.on('GET /api/users/me', (request) =>
    request.headers.authorization === `Bearer ${validToken}`
      ? json(200, { id: 'u1' })
      : problem(401, 'unauthorized', 'Token expired.'),
  );
}

describe('ApiClient token refresh', () => {
  it('answers a 401 by refreshing once through the cookie and repeating the call with the new access token', async () => {
    const gateway = new FakeGateway();
    protectedRoute(gateway, 'fresh-access');
    gateway.on(
      'POST /api/auth/refresh',
      json(200, { accessToken: 'fresh-access', refreshToken: 'refresh-2', expiresIn: 900 }),
    );
    const { client, tokens, storage } = signedInClient(gateway);

    await expect(client.get('/api/users/me')).resolves.toEqual({ id: 'u1' });

    // No token in the body: the browser sends the HttpOnly cookie; the header is the CSRF guard it needs.
    expect(
      gateway.calls('POST', '/api/auth/refresh').map((call) => [call.body, call.headers['x-requested-with']]),
    ).toEqual([[undefined, 'fetch']]);
    expect(gateway.calls('GET', '/api/users/me').map((call) => call.headers.authorization)).toEqual([
      'Bearer expired-access',
      'Bearer fresh-access',
    ]);
    expect(tokens.accessToken).toBe('fresh-access');
    // The refresh token in the answer is for API clients; no script-readable storage keeps it.
    expect(storage.getItem('echoplex.refreshToken')).toBeNull();
  });

  it('shares one rotation between concurrent calls, so a refresh token is never presented twice', async () => {
    const gateway = new FakeGateway();
    protectedRoute(gateway, 'fresh-access');
    let rotations = 0;
    gateway.on('POST /api/auth/refresh', async () => {
      rotations += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return json(200, { accessToken: 'fresh-access', refreshToken: `refresh-${rotations + 1}`, expiresIn: 900 });
    });
    const { client } = signedInClient(gateway);

    const results = await Promise.all([
      client.get('/api/users/me'),
      client.get('/api/users/me'),
      client.get('/api/users/me'),
    ]);

    expect(results).toEqual([{ id: 'u1' }, { id: 'u1' }, { id: 'u1' }]);
    expect(rotations).toBe(1);
  });

  it('ends the session when the refresh token is refused, and reports the original 401', async () => {
    const gateway = new FakeGateway();
    protectedRoute(gateway, 'never-valid');
    gateway.on('POST /api/auth/refresh', problem(401, 'invalid_token', 'The refresh token was already used.'));
    const { client, tokens, storage } = signedInClient(gateway);
    const changes: string[] = [];
    tokens.onChange((change) => changes.push(change));

    const failure = await client.get('/api/users/me').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiProblem);
    expect((failure as ApiProblem).code).toBe('unauthorized');
    expect(tokens.accessToken).toBeNull();
    expect(storage.getItem('echoplex.session')).toBeNull();
    expect(changes).toEqual(['signedOut']);
    expect(gateway.calls('GET', '/api/users/me')).toHaveLength(1);
  });

  it('does not refresh for a 401 that is about credentials rather than the token', async () => {
    const gateway = new FakeGateway();
    gateway.on(
      'POST /api/users/me/password',
      problem(401, 'invalid_credentials', 'The current password is incorrect.'),
    );
    const { client } = signedInClient(gateway);

    await expect(
      client.post('/api/users/me/password', { currentPassword: 'x', newPassword: 'y' }),
    ).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(gateway.calls('POST', '/api/auth/refresh')).toHaveLength(0);
  });

  it('never refreshes for calls made without auth (sign-in itself)', async () => {
    const gateway = new FakeGateway();
    gateway.on('POST /api/auth/login', problem(401, 'invalid_credentials', 'The email or password is incorrect.'));
    const { client } = signedInClient(gateway);

    await expect(
      client.post('/api/auth/login', { email: 'a@b.c', password: 'x' }, { auth: false }),
    ).rejects.toMatchObject({
      status: 401,
    });
    expect(gateway.requests.map((request) => request.path)).toEqual(['/api/auth/login']);
    expect(gateway.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('sends Idempotency-Key, JSON bodies and drops empty query values', async () => {
    const gateway = new FakeGateway();
    gateway.on('POST /api/registrations', (request) =>
      json(201, { echoed: request.body, key: request.headers['idempotency-key'] }),
    );
    gateway.on('GET /api/events', (request) => json(200, { query: request.query.toString() }));
    const { client } = signedInClient(gateway);

    await expect(client.post('/api/registrations', { quantity: 2 }, { idempotencyKey: 'k-1' })).resolves.toEqual({
      echoed: { quantity: 2 },
      key: 'k-1',
    });
    await expect(
      client.get('/api/events', { query: { q: 'jazz', city: '', category: undefined, limit: 20 } }),
    ).resolves.toEqual({
      query: 'q=jazz&limit=20',
    });
  });
});

describe('session cookie', () => {
  it('logs out through the cookie: no token in the body, the CSRF header, the session mark gone', async () => {
    const gateway = new FakeGateway();
    gateway.on('POST /api/auth/logout', () => new Response(null, { status: 204 }));
    const { client, storage } = signedInClient(gateway);

    await identityApi(client).logOut();

    expect(
      gateway.calls('POST', '/api/auth/logout').map((call) => [call.body, call.headers['x-requested-with']]),
    ).toEqual([[undefined, 'fetch']]);
    expect(storage.getItem('echoplex.session')).toBeNull();
    expect(client.tokens.accessToken).toBeNull();
  });

  it('forgets a refresh token an earlier version left in localStorage', () => {
    const storage = memoryStorage({ 'echoplex.refreshToken': 'left-behind' });
    new TokenStore(storage);
    expect(storage.getItem('echoplex.refreshToken')).toBeNull();
  });
});

describe('problem+json mapping', () => {
  it('turns a problem body into an ApiProblem with its code, detail and field errors', async () => {
    const gateway = new FakeGateway();
    gateway.on(
      'POST /api/events',
      problem(422, 'validation_failed', 'The request is not valid.', {
        errors: [
          { path: 'body.name', message: 'must not be empty' },
          { path: 'body.categories.0', message: 'Invalid option' },
        ],
      }),
    );
    const { client } = signedInClient(gateway);

    const failure = (await client.post('/api/events', {}).catch((error: unknown) => error)) as ApiProblem;

    expect(failure).toBeInstanceOf(ApiProblem);
    expect(failure.status).toBe(422);
    expect(failure.code).toBe('validation_failed');
    expect(formProblem(failure)).toEqual({
      fields: { name: 'Must not be empty.', 'categories.0': 'Invalid option.' },
      summary: 'Please correct the highlighted fields.',
    });
  });

  it('places codes without field paths on the field they concern, overridable per form', () => {
    const dateRange = new ApiProblem({
      status: 422,
      code: 'invalid_date_range',
      detail: 'endTime must be after startTime.',
    });
    expect(formProblem(dateRange).fields).toEqual({ endTime: 'endTime must be after startTime.' });

    const capacity = new ApiProblem({ status: 409, code: 'capacity_exceeded', detail: '12 tickets are already sold.' });
    expect(formProblem(capacity).fields).toEqual({ capacity: '12 tickets are already sold.' });
    expect(formProblem(capacity, { capacity_exceeded: 'quantity' }).fields).toEqual({
      quantity: '12 tickets are already sold.',
    });
  });

  it('describes problems nobody can pin on a field in words a person understands', async () => {
    const gateway = new FakeGateway();
    gateway.on('POST /api/registrations', problem(409, 'sold_out', 'Ticket type 0190… has 0 seats left.'));
    gateway.on(
      'GET /api/broken',
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const { client } = signedInClient(gateway);

    const soldOut = await client.post('/api/registrations', {}).catch((error: unknown) => error);
    expect(formProblem(soldOut)).toEqual({ fields: {}, summary: 'Sorry, this ticket just sold out.' });

    const broken = (await client.get('/api/broken').catch((error: unknown) => error)) as ApiProblem;
    expect(broken.status).toBe(502);
    expect(describeProblem(broken)).toBe('Something went wrong on our side. Try again in a moment.');
  });

  it('reports an unreachable gateway as a network problem', async () => {
    const tokens = new TokenStore(memoryStorage());
    const client = new ApiClient(tokens, () => Promise.reject(new TypeError('Failed to fetch')));

    const failure = (await client.get('/api/events').catch((error: unknown) => error)) as ApiProblem;

    expect(failure.code).toBe('network_error');
    expect(describeProblem(failure)).toMatch(/Cannot reach EchoPlex/);
  });
});
