export const accessTokenLifetimeSeconds = 15 * 60;
export const refreshTokenLifetimeMs = 30 * 24 * 60 * 60 * 1000;
export const passwordResetLifetimeMs = 30 * 60 * 1000;
/**
 * How long access tokens of a revoked session may outlive the revocation: one token lifetime, plus a
 * minute because verifiers' clocks may run behind identity's.
 */
export const revokedSessionTokensLiveMs = accessTokenLifetimeSeconds * 1000 + 60_000;

export interface RefreshTokenState {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * What presenting a refresh token means. `reuse` is a token that was already exchanged: either its
 * holder or a thief has the successor, and there is no telling which, so the whole family dies.
 */
export type RefreshVerdict = 'rotate' | 'reuse' | 'revoked' | 'expired' | 'unknown';

export function judgeRefreshToken(token: RefreshTokenState | undefined, now: Date): RefreshVerdict {
  if (!token) return 'unknown';
  if (token.revokedAt) return 'revoked';
  if (token.usedAt) return 'reuse';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'rotate';
}

export interface PasswordResetState {
  expiresAt: Date;
  usedAt: Date | null;
}

export type PasswordResetVerdict = 'valid' | 'used' | 'expired' | 'unknown';

export function judgePasswordReset(token: PasswordResetState | undefined, now: Date): PasswordResetVerdict {
  if (!token) return 'unknown';
  if (token.usedAt) return 'used';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}
