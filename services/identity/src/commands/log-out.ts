import { digestToken } from '../domain/opaque-token';
import type { IdentityDeps } from './identity-deps';

/** Ends the session the token belongs to; an unknown or dead token is already logged out. */
export async function logOut(deps: IdentityDeps, input: { refreshToken: string }, now: Date): Promise<void> {
  const token = await deps.refreshTokens.findByHash(digestToken(input.refreshToken));
  if (token) await deps.refreshTokens.revokeFamily(token.familyId, now);
}
