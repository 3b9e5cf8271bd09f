import type { Kysely } from '@echoplex/db';
import { v7 as uuidv7 } from 'uuid';
import type { IdentityDb, Role } from '../db/schema';
import { signAccessToken } from '../domain/access-token';
import { digestToken, newOpaqueToken } from '../domain/opaque-token';
import { accessTokenLifetimeSeconds, refreshTokenLifetimeMs } from '../domain/token-rules';
import type { IdentityDeps } from './identity-deps';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** Issues an access token and a refresh token; a new login starts a new family, a rotation continues one. */
export async function startSession(
  deps: Pick<IdentityDeps, 'refreshTokens' | 'signingKey'>,
  db: Kysely<IdentityDb>,
  user: { id: string; role: Role },
  now: Date,
  familyId: string = uuidv7(),
): Promise<Session> {
  const refreshToken = newOpaqueToken();
  await deps.refreshTokens.insert(db, {
    id: uuidv7(),
    userId: user.id,
    familyId,
    tokenHash: digestToken(refreshToken),
    createdAt: now,
    expiresAt: new Date(now.getTime() + refreshTokenLifetimeMs),
  });
  const accessToken = signAccessToken(
    deps.signingKey(),
    { userId: user.id, role: user.role, sessionId: familyId },
    now,
  );
  return { accessToken, refreshToken, expiresIn: accessTokenLifetimeSeconds };
}
