import { createPrivateKey, type JsonWebKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import type { SigningKey } from '../domain/access-token';
import { accessTokenLifetimeSeconds } from '../domain/token-rules';
import type { SigningKeyRepository } from '../repositories/signing-key.repository';

export const signingAlgorithm = 'EdDSA';

/**
 * A key superseded this long ago can have signed no live token: access tokens last 15 minutes and
 * every instance picks up a new key within seconds (LISTEN/NOTIFY), so four lifetimes leave ample margin.
 */
export const retireSupersededKeysAfterMs = 4 * accessTokenLifetimeSeconds * 1000;

export interface SigningKeys {
  /** Public keys of every key that may still have signed a live token. */
  jwks: JSONWebKeySet;
  current: SigningKey;
}

/**
 * Loads the signing keys, generating the first one on first start. Keys persist in the database so
 * restarts and other instances verify the same tokens; rotating adds a key before retiring old ones.
 */
export async function loadSigningKeys(keys: SigningKeyRepository, now: Date): Promise<SigningKeys> {
  let rows = await keys.listVerifying();
  if (rows.length === 0) {
    await addSigningKey(keys, now);
    rows = await keys.listVerifying();
  }
  const newest = rows[0] as (typeof rows)[number];
  return {
    jwks: { keys: rows.map((row) => ({ ...row.publicJwk, kid: row.kid, alg: row.algorithm, use: 'sig' })) },
    current: { kid: newest.kid, privateKey: createPrivateKey({ key: newest.privateJwk as JsonWebKey, format: 'jwk' }) },
  };
}

/**
 * Key rotation without logging anyone out: the new key signs from now on, older keys stay in the
 * JWKS and keep verifying the tokens they signed, and only keys superseded long enough ago that
 * none of their tokens can still be live are retired. Running instances reload at once.
 */
export async function rotateSigningKey(
  keys: SigningKeyRepository,
  now: Date,
): Promise<{ kid: string; retired: string[] }> {
  const before = await keys.listVerifying();
  const kid = await addSigningKey(keys, now);
  // `before` is newest first, so each key was superseded when the key before it in the list was made.
  const retired = before
    .filter((_row, index) => {
      const successor = index === 0 ? now : (before[index - 1]?.createdAt ?? now);
      return now.getTime() - successor.getTime() >= retireSupersededKeysAfterMs;
    })
    .map((row) => row.kid);
  await keys.retire(retired, now);
  await keys.announceChange();
  return { kid, retired };
}

async function addSigningKey(keys: SigningKeyRepository, now: Date): Promise<string> {
  const pair = await generateKeyPair(signingAlgorithm, { extractable: true });
  const kid = randomUUID();
  await keys.insert({
    kid,
    algorithm: signingAlgorithm,
    publicJwk: await exportJWK(pair.publicKey),
    privateJwk: await exportJWK(pair.privateKey),
    createdAt: now,
  });
  return kid;
}
