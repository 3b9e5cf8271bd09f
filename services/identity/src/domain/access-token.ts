import { type KeyObject, sign } from 'node:crypto';
import { accessTokenAudience, accessTokenIssuer } from '@echoplex/http';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../db/schema';
import { accessTokenLifetimeSeconds } from './token-rules';

export interface AccessTokenSubject {
  userId: string;
  role: Role;
  /** The refresh-token family (the login session), so a password change can keep this session alive. */
  sessionId: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/**
 * Signs a compact EdDSA JWS with `node:crypto` on the calling thread, so issuing a token never
 * waits on libuv's thread pool: jose signs through WebCrypto, whose jobs queue there behind argon2
 * (350-400 ms with every pool thread hashing, against 0.13 ms for this; bench/login/thread-pool.ts).
 * Verification stays with jose (packages/http), which also proves these tokens are well-formed.
 */
export function signAccessToken(key: SigningKey, subject: AccessTokenSubject, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const header = { alg: 'EdDSA', kid: key.kid, typ: 'JWT' };
  const claims = {
    sub: subject.userId,
    role: subject.role,
    sid: subject.sessionId,
    iss: accessTokenIssuer,
    aud: accessTokenAudience,
    iat: issuedAt,
    exp: issuedAt + accessTokenLifetimeSeconds,
    jti: uuidv7(),
  };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign(null, Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
