import { createPublicKey } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, describeResponse, isProblem, type Platform, signUp, startPlatform } from './platform';

/**
 * Forged and doctored access tokens against protected routes of two services: every one is refused
 * with 401 problem+json, never accepted and never treated as anonymous.
 */

const issuer = 'echoplex-identity';
const audience = 'echoplex';
const protectedRoutes = ['/api/users/me', '/api/registrations'];

describe('token attacks', () => {
  let platform: Platform;
  let attendee: Account;
  let realKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
  const attacks: Record<string, string> = {};

  const claims = () => ({
    sub: attendee.userId,
    role: 'organizer',
    sid: crypto.randomUUID(),
    jti: crypto.randomUUID(),
  });

  async function signWithRealKey(edit: (jwt: SignJWT) => SignJWT): Promise<string> {
    const key = await importJWK(realKey.privateJwk, 'EdDSA');
    return edit(new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: realKey.kid })).sign(key);
  }

  function hs256(secret: Uint8Array, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: realKey.kid, ...header })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(secret);
  }

  beforeAll(async () => {
    platform = await startPlatform('security_tokens');
    attendee = await signUp(platform, 'attendee');
    // The signing key is read where identity keeps it, so that claim checks (exp, iss, aud) are
    // tested with a signature that is otherwise valid.
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select kid, private_jwk, public_jwk from identity.signing_keys where retired_at is null order by created_at desc limit 1',
      );
      realKey = { kid: rows[0].kid, privateJwk: rows[0].private_jwk, publicJwk: rows[0].public_jwk };
    } finally {
      await client.end();
    }

    const jwks = (await platform.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const published: JWK = jwks.keys[0];
    const publicPem = createPublicKey({ key: published as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });

    const [header, payload] = attendee.token.split('.') as [string, string, string];
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));

    attacks['alg none'] = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...decoded, role: 'organizer' })}.`;
    attacks['alg none, kid kept'] = `${encode({ alg: 'none', kid: realKey.kid })}.${payload}.`;
    attacks['HS256 keyed with the JWKS x bytes'] = await hs256(base64url.decode(published.x as string));
    attacks['HS256 keyed with the x string'] = await hs256(new TextEncoder().encode(published.x as string));
    attacks['HS256 keyed with the public PEM'] = await hs256(new TextEncoder().encode(publicPem as string));
    const foreign = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const foreignClaims = new SignJWT(claims())
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m');
    attacks['foreign key, foreign kid'] = await foreignClaims
      .setProtectedHeader({ alg: 'EdDSA', kid: 'attacker-key' })
      .sign(foreign.privateKey);
    attacks['foreign key claiming the real kid'] = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: realKey.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('10m')
      .sign(foreign.privateKey);
    attacks['foreign key embedded as jwk header'] = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', jwk: await exportJWK(foreign.publicKey) })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('10m')
      .sign(foreign.privateKey);
    attacks.expired = await signWithRealKey((jwt) =>
      jwt.setIssuer(issuer).setAudience(audience).setIssuedAt('-2h').setExpirationTime('-1h'),
    );
    attacks['no exp'] = await signWithRealKey((jwt) => jwt.setIssuer(issuer).setAudience(audience));
    attacks['wrong issuer'] = await signWithRealKey((jwt) =>
      jwt.setIssuer('evil-identity').setAudience(audience).setExpirationTime('10m'),
    );
    attacks['wrong audience'] = await signWithRealKey((jwt) =>
      jwt.setIssuer(issuer).setAudience('someone-else').setExpirationTime('10m'),
    );
    const mintWithRealKey = async (payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid: realKey.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('10m')
        .sign(await importJWK(realKey.privateJwk, 'EdDSA'));
    attacks['unknown role'] = await mintWithRealKey({ sub: attendee.userId, role: 'admin', sid: crypto.randomUUID() });
    // a session no logout could end
    attacks['no session id'] = await mintWithRealKey({ sub: attendee.userId, role: 'attendee' });
    // a genuine token whose payload is edited to claim the organizer role, signature kept
    attacks['tampered payload'] =
      `${header}.${encode({ ...decoded, role: 'organizer' })}.${attendee.token.split('.')[2]}`;
    attacks['signature stripped'] = `${header}.${payload}.`;
    attacks.garbage = 'not.a.jwt';
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('accepts the genuine token and one minted with the real key (the attacks are not failing for another reason)', async () => {
    const minted = await signWithRealKey((jwt) => jwt.setIssuer(issuer).setAudience(audience).setExpirationTime('10m'));
    for (const url of protectedRoutes) {
      for (const token of [attendee.token, minted]) {
        const response = await platform.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.statusCode, `${url}: ${describeResponse(response)}`).toBe(200);
      }
    }
  });

  it('refuses every forged or doctored token with 401 problem+json on every service', async () => {
    const failures: string[] = [];
    for (const [name, token] of Object.entries(attacks)) {
      for (const url of protectedRoutes) {
        const response = await platform.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.statusCode !== 401 || !isProblem(response) || response.json().code !== 'unauthorized') {
          failures.push(`${name} on ${url}: ${describeResponse(response)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(Object.keys(attacks).length).toBeGreaterThanOrEqual(15);
  });

  it('refuses malformed Authorization headers rather than treating the caller as anonymous', async () => {
    for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', `Token ${attendee.token}`, 'Bearer  ']) {
      for (const url of protectedRoutes) {
        const response = await platform.app.inject({ method: 'GET', url, headers: { authorization } });
        expect(response.statusCode, `${authorization} on ${url}`).toBe(401);
        expect(isProblem(response)).toBe(true);
      }
    }
  });
});
