import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import type { SigningKeyRepository } from '../repositories/signing-key.repository';

export const signingAlgorithm = 'EdDSA';

export interface SigningKeys {
  /** Public keys of every key that may still have signed a live token. */
  jwks: JSONWebKeySet;
  current: { kid: string; key: Awaited<ReturnType<typeof importJWK>> };
}

/**
 * Loads the signing keys, generating the first one on first start. Keys persist in the database so
 * restarts and other instances verify the same tokens; rotating adds a key before retiring old ones.
 */
export async function loadSigningKeys(keys: SigningKeyRepository): Promise<SigningKeys> {
  let rows = await keys.listVerifying();
  if (rows.length === 0) {
    await rotateSigningKey(keys);
    rows = await keys.listVerifying();
  }
  const newest = rows[0] as (typeof rows)[number];
  return {
    jwks: { keys: rows.map((row) => ({ ...row.publicJwk, kid: row.kid, alg: row.algorithm, use: 'sig' })) },
    current: { kid: newest.kid, key: await importJWK(newest.privateJwk as JWK, newest.algorithm) },
  };
}

export async function rotateSigningKey(keys: SigningKeyRepository): Promise<void> {
  const pair = await generateKeyPair(signingAlgorithm, { extractable: true });
  await keys.insert({
    kid: randomUUID(),
    algorithm: signingAlgorithm,
    publicJwk: await exportJWK(pair.publicKey),
    privateJwk: await exportJWK(pair.privateKey),
  });
}
