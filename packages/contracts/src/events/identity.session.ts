import { z } from 'zod';

/**
 * Sessions (refresh-token login families) that ended: a logout, a password change or reset, or a
 * refresh token presented twice. Every token verifier refuses access tokens carrying one of these
 * session ids (`sid`) until `accessTokensExpireBy`, when the last of them has expired anyway.
 */
export const SessionRevoked = z.object({
  userId: z.uuid(),
  sessionIds: z.array(z.uuid()).min(1),
  reason: z.enum(['logout', 'password_changed', 'password_reset', 'refresh_token_reused']),
  accessTokensExpireBy: z.iso.datetime(),
});
export type SessionRevoked = z.infer<typeof SessionRevoked>;
