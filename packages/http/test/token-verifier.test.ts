import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from '../src/auth';

async function signingKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const sign = (expiresInSeconds: number, sessionId = `session-of-${kid}`) =>
    new SignJWT({ role: 'organizer', sid: sessionId })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(`user-of-${kid}`)
      .setIssuer('echoplex-identity')
      .setAudience('echoplex')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
  return { jwk, sign };
}

// Real keys and signatures, no I/O except a local JWKS server for the remote case. Only the clock is
// faked (Date), to step past expiry and the key set's age without waiting.
describe('token verifier remembering verified tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('verifies a token once, then recalls it while the key set is unchanged', async () => {
    const key = await signingKey('a');
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    let keyReads = 0;
    const verifier = createTokenVerifier({
      jwks: () => {
        keyReads++;
        return jwks;
      },
    });
    const token = await key.sign(600);
    const principal = { userId: 'user-of-a', role: 'organizer', sessionId: 'session-of-a' };
    await expect(verifier.verify(token)).resolves.toEqual(principal);
    const afterFirst = keyReads;
    await expect(verifier.verify(token)).resolves.toEqual(principal);
    // A recall only asks which key set is in use; verifying also reads the keys to check the signature.
    expect(keyReads - afterFirst).toBe(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = await signingKey('a');
    const ring: JSONWebKeySet = { keys: [key.jwk] };
    const verifier = createTokenVerifier({ jwks: () => ring });
    const token = await key.sign(60);
    await verifier.verify(token);
    await verifier.verify(token);
    vi.setSystemTime(Date.now() + 61_000);
    await expect(verifier.verify(token)).rejects.toThrow(/exp/);
  });

  it('refuses a remembered token at once when its key leaves the key ring', async () => {
    const [a, b] = [await signingKey('a'), await signingKey('b')];
    let ring: JSONWebKeySet = { keys: [a.jwk, b.jwk] };
    const verifier = createTokenVerifier({ jwks: () => ring });
    const token = await a.sign(600);
    await verifier.verify(token);
    await verifier.verify(token);
    ring = { keys: [b.jwk] };
    await expect(verifier.verify(token)).rejects.toThrow();
    await expect(verifier.verify(await b.sign(600))).resolves.toMatchObject({ userId: 'user-of-b' });
  });

  it('refuses a tampered copy of a remembered token', async () => {
    const key = await signingKey('a');
    const ring: JSONWebKeySet = { keys: [key.jwk] };
    const verifier = createTokenVerifier({ jwks: () => ring });
    const token = await key.sign(600);
    await verifier.verify(token);
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()), role: 'organizer', sub: 'mallory' })).toString('base64url')}.${token.split('.')[2]}`;
    await expect(verifier.verify(forged)).rejects.toThrow();
  });

  it('refuses the tokens of a revoked session, remembered or not, and keeps accepting other sessions', async () => {
    const key = await signingKey('a');
    const ring: JSONWebKeySet = { keys: [key.jwk] };
    const verifier = createTokenVerifier({ jwks: () => ring });
    const remembered = await key.sign(600, 'session-1');
    const other = await key.sign(600, 'session-2');
    await verifier.verify(remembered);
    await verifier.verify(other);
    const fresh = await key.sign(600, 'session-1');

    verifier.revocations.revoke(['session-1'], Date.now() + 900_000, Date.now());

    await expect(verifier.verify(remembered)).rejects.toThrow(/session/);
    await expect(verifier.verify(fresh)).rejects.toThrow(/session/);
    await expect(verifier.verify(other)).resolves.toMatchObject({ sessionId: 'session-2' });
  });

  it('refuses a token without a session id, which no logout could end', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const ring: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'EdDSA' }] };
    const token = await new SignJWT({ role: 'organizer' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k' })
      .setSubject('user')
      .setIssuer('echoplex-identity')
      .setAudience('echoplex')
      .setExpirationTime('10m')
      .sign(privateKey);
    await expect(createTokenVerifier({ jwks: () => ring }).verify(token)).rejects.toThrow(/sid/);
  });

  describe('with a remote key set', () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

    it('stops recalling a token once the fetched key set is stale and its key is gone', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const [a, b] = [await signingKey('a'), await signingKey('b')];
      let published: JSONWebKeySet = { keys: [a.jwk, b.jwk] };
      let fetches = 0;
      server = createServer((_request, response) => {
        fetches++;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(published));
      });
      await new Promise<void>((listening) => server?.listen(0, '127.0.0.1', listening));
      const { port } = server.address() as AddressInfo;
      const verifier = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, keySetMaxAgeMs: 60_000 });
      const token = await a.sign(3_600);

      for (let i = 0; i < 3; i++) await verifier.verify(token);
      expect(fetches).toBe(1);

      published = { keys: [b.jwk] };
      vi.setSystemTime(Date.now() + 61_000);
      await expect(verifier.verify(token)).rejects.toThrow();
      expect(fetches).toBe(2);
      await expect(verifier.verify(await b.sign(600))).resolves.toMatchObject({ userId: 'user-of-b' });
    });
  });
});
