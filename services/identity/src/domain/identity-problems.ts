import { type FieldError, Problem, problems } from '@echoplex/http';
import type { PasswordVerdict } from './password-policy';

/** The same answer for a wrong password and an unknown email: nothing tells which it was. */
export const invalidCredentials = () => new Problem(401, 'invalid_credentials', 'The email or password is incorrect.');

export const invalidRefreshToken = () =>
  new Problem(401, 'invalid_token', 'The refresh token is invalid, expired or already used; sign in again.');

export const invalidResetToken = () =>
  problems.badRequest('invalid_token', 'The reset link is invalid, expired or already used; request a new one.');

export const emailTaken = () => problems.conflict('email_taken', 'An account with this email address already exists.');

export function weakPassword(verdict: Exclude<PasswordVerdict, { ok: true }>, field: string) {
  const errors: FieldError[] = [{ path: field, message: verdict.message }];
  return problems.unprocessable('weak_password', verdict.message, errors);
}

/** Wrong current password on a password change: 403, because the caller is signed in (401 would log them out). */
export const wrongCurrentPassword = () =>
  new Problem(403, 'invalid_credentials', 'The current password is incorrect.', [
    { path: 'currentPassword', message: 'is incorrect' },
  ]);

/** The password hashing queue is full: the client retries (`Retry-After`) instead of waiting without bound. */
export const hashingBusy = () =>
  problems.unavailable('Too many sign-ins are being checked at the moment; retry in a second.');
