import { createHmac, createPublicKey } from 'node:crypto';
import { accessTokenAudience, accessTokenIssuer } from '@echoplex/http';
import { eventually } from '@echoplex/testkit';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../src/commands/signing-keys';
import { SigningKeyRepository } from '../src/repositories/signing-key.repository';
import { bearer, type IdentityHarness, register, type SignedIn, startIdentity } from './identity-harness';

let identity: IdentityHarness;
let account: SignedIn & { password: string };
beforeAll(async () => {
  identity = await startIdentity();
  account = await register(identity.app, { role: 'organizer' });
});
afterAll(async () => {
  await identity?.close();
});

const me = (token: string) => identity.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) });
const jwks = async () =>
  (await identity.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function validClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: account.user.id,
    role: 'organizer',
    iss: accessTokenIssuer,
    aud: accessTokenAudience,
    iat: now,
    exp: now + 900,
    jti: 'test-jti',
    // The account's own session, so a refusal is for the claim under test, never for a missing session.
    sid: decodeJwt(account.accessToken).sid,
    ...overrides,
  };
}

function unsignedToken(header: object, claims: object): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

async function expectUnauthorized(token: string) {
  const response = await me(token);
  expect(response.statusCode).toBe(401);
  expect(response.json()).toMatchObject({ code: 'unauthorized' });
}

describe('access tokens', () => {
  it('are EdDSA JWTs with kid, sub, role, iss, aud, a 15-minute exp and a jti', async () => {
    const header = decodeProtectedHeader(account.accessToken);
    const claims = decodeJwt(account.accessToken);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect((await jwks()).keys.map((key) => key.kid)).toContain(header.kid);
    expect(claims).toMatchObject({
      sub: account.user.id,
      role: 'organizer',
      iss: 'echoplex-identity',
      aud: 'echoplex',
      jti: expect.any(String),
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect((await me(account.accessToken)).statusCode).toBe(200);
  });

  it('publishes only public keys in the JWKS, with kid and alg', async () => {
    const { keys } = await jwks();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('refuses alg none', async () => {
    const kid = decodeProtectedHeader(account.accessToken).kid;
    await expectUnauthorized(`${unsignedToken({ alg: 'none', typ: 'JWT', kid }, validClaims())}.`);
    await expectUnauthorized(unsignedToken({ alg: 'none' }, validClaims()));
  });

  it('refuses HS256 tokens signed with the public key, as raw bytes or as PEM', async () => {
    const kid = decodeProtectedHeader(account.accessToken).kid;
    const publicJwk = (await jwks()).keys.find((key) => key.kid === kid) as JWK;
    const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [
      Buffer.from(publicJwk.x as string, 'base64url'),
      Buffer.from(pem),
      Buffer.from(JSON.stringify(publicJwk)),
    ]) {
      const signingInput = unsignedToken({ alg: 'HS256', typ: 'JWT', kid }, validClaims());
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectUnauthorized(`${signingInput}.${signature}`);
    }
  });

  it('refuses a token signed by a key that is not in the JWKS, even with a known kid', async () => {
    const kid = decodeProtectedHeader(account.accessToken).kid;
    const stranger = await generateKeyPair('EdDSA');
    const forged = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'EdDSA', kid }).sign(stranger.privateKey);
    await expectUnauthorized(forged);
  });

  it('refuses wrong issuer, wrong audience and expired tokens signed with the real key', async () => {
    // Re-signing needs the private key: read it where identity keeps it, as only a test may.
    const kid = decodeProtectedHeader(account.accessToken).kid as string;
    const row = await identity.db
      .selectFrom('signingKeys')
      .selectAll()
      .where('kid', '=', kid)
      .executeTakeFirstOrThrow();
    const privateKey = await importJWK(row.privateJwk, 'EdDSA');
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(validClaims(claims)).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);

    expect((await me(await sign({}))).statusCode).toBe(200);
    await expectUnauthorized(await sign({ iss: 'someone-else' }));
    await expectUnauthorized(await sign({ aud: 'another-audience' }));
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectUnauthorized(await sign({ iat: past - 900, exp: past }));
    await expectUnauthorized(await sign({ role: 'admin' }));
  });

  it('refuses tampered tokens: changed claims, changed header, cut signature', async () => {
    const [header, payload, signature] = account.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = base64url(
      JSON.stringify({ ...claims, role: 'attendee', sub: '00000000-0000-7000-8000-000000000000' }),
    );
    await expectUnauthorized(`${header}.${elevated}.${signature}`);
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    await expectUnauthorized(`${header}.${payload}.${flipped}`);
    await expectUnauthorized(`${header}.${payload}.`);
    await expectUnauthorized(`${header}.${payload}`);
    await expectUnauthorized('not-a-jwt');
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await identity.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Token ${account.accessToken}` },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('signing key rotation', () => {
  it('signs new tokens with the new key while tokens of the old key keep working', async () => {
    const before = await jwks();
    const oldKid = decodeProtectedHeader(account.accessToken).kid;

    const { kid: newKid, retired } = await rotateSigningKey(new SigningKeyRepository(identity.db), new Date());
    expect(retired).toEqual([]);
    // The running service hears of the rotation through LISTEN/NOTIFY.
    const after = await eventually(jwks, (set) => set.keys.some((key) => key.kid === newKid));
    expect(after.keys.map((key) => key.kid)).toEqual([newKid, ...before.keys.map((key) => key.kid)]);

    expect((await me(account.accessToken)).statusCode).toBe(200);
    const login = await identity.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: account.user.email, password: account.password },
    });
    const fresh = login.json() as SignedIn;
    expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(newKid);
    expect(decodeProtectedHeader(fresh.accessToken).kid).not.toBe(oldKid);
    expect((await me(fresh.accessToken)).statusCode).toBe(200);
    const refreshed = await identity.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: account.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(decodeProtectedHeader(refreshed.json().accessToken).kid).toBe(newKid);
  });

  it('retires a key only once it was superseded long enough ago that none of its tokens can live', async () => {
    const repository = new SigningKeyRepository(identity.db);
    const current = (await jwks()).keys.map((key) => key.kid as string);
    // Pretend every current key was created two hours ago.
    await identity.db
      .updateTable('signingKeys')
      .set({ createdAt: new Date(Date.now() - 2 * 3600_000) })
      .where('kid', 'in', current)
      .execute();
    const { kid, retired } = await rotateSigningKey(repository, new Date());
    // The newest of them was superseded just now, so it stays; the older ones were superseded 2 h ago.
    expect(retired.length).toBe(current.length - 1);
    const after = await eventually(jwks, (set) => set.keys[0]?.kid === kid);
    expect(after.keys[0]?.kid).toBe(kid);
    expect(after.keys).toHaveLength(2);
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('is public and cacheable', async () => {
    const response = await identity.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=60');
  });
});
