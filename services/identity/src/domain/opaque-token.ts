import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh and password-reset tokens. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored only as this digest. A plain SHA-256 suffices (unlike passwords): the input has
 * 256 bits of entropy, so there is nothing to brute-force.
 */
export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
