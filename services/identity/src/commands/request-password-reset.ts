import { v7 as uuidv7 } from 'uuid';
import { digestToken, newOpaqueToken } from '../domain/opaque-token';
import { passwordResetLifetimeMs } from '../domain/token-rules';
import type { IdentityDeps } from './identity-deps';

/** Sends a reset link if the account exists; the caller answers 202 either way. */
export async function requestPasswordReset(deps: IdentityDeps, input: { email: string }, now: Date): Promise<void> {
  const user = await deps.users.findByEmail(input.email);
  if (!user) return;
  const token = newOpaqueToken();
  await deps.passwordResets.insert({
    id: uuidv7(),
    userId: user.id,
    tokenHash: digestToken(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + passwordResetLifetimeMs),
  });
  const link = new URL('/reset-password', deps.publicUrl);
  link.searchParams.set('token', token);
  const minutes = passwordResetLifetimeMs / 60_000;
  deps.sendMail({
    to: user.email,
    subject: 'Reset your EchoPlex password',
    text: [
      `Hello ${user.firstName},`,
      '',
      `Someone asked to reset the password of your EchoPlex account. To choose a new one, open this link within ${minutes} minutes:`,
      '',
      link.toString(),
      '',
      `Reset token: ${token}`,
      '',
      'The link works once. If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  });
}
