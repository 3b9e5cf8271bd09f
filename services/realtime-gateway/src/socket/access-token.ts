import type { Principal, TokenVerifier } from '@echoplex/http';

export interface Identity {
  principal: Principal;
  /** Epoch ms; a socket outlives its 15-minute token, so private channels end when it expires. */
  expiresAt: number | null;
}

/** Verifies the token with the host's verifier; null when it is invalid or expired. */
export async function authenticate(verifier: TokenVerifier, token: string): Promise<Identity | null> {
  try {
    const principal = await verifier.verify(token);
    return { principal, expiresAt: expiryOf(token) };
  } catch {
    return null;
  }
}

/** Reads `exp` of a token that has already been verified. */
function expiryOf(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}
