import { digestToken } from './opaque-token';

/** The failed logins of one account from one client address. */
export interface LoginFailures {
  failures: number;
  lastFailedAt: Date;
}

/**
 * Failures are counted per account and client address, so a stranger guessing from elsewhere never
 * locks the owner out; each failure past the free ones doubles the wait before the next try from
 * that address, so guessing slows to a few tries an hour instead of stopping the account.
 */
export const loginBackoff = {
  /** Typos and a half-remembered password cost nothing. */
  freeFailures: 5,
  firstDelaySeconds: 15,
  maxDelaySeconds: 15 * 60,
  /** A day without a failure forgets the earlier ones. */
  forgetAfterSeconds: 24 * 60 * 60,
};

/** The wait that follows the `failures`-th failure in a row. */
export function loginBackoffSeconds(failures: number): number {
  if (failures <= loginBackoff.freeFailures) return 0;
  const doublings = failures - loginBackoff.freeFailures - 1;
  return Math.min(loginBackoff.maxDelaySeconds, loginBackoff.firstDelaySeconds * 2 ** doublings);
}

/** Seconds before this client may try this account again; 0 when it may now. */
export function loginRetryAfterSeconds(record: LoginFailures | undefined, now: Date): number {
  if (!record) return 0;
  const waited = (now.getTime() - record.lastFailedAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(loginBackoffSeconds(record.failures) - waited));
}

/** Failures older than this are forgotten when the next one is counted. */
export function loginFailuresForgottenBefore(now: Date): Date {
  return new Date(now.getTime() - loginBackoff.forgetAfterSeconds * 1000);
}

/** A digest, so the table holds neither the email nor the address. */
export function loginFailureKey(email: string, clientIp: string): string {
  return digestToken(`${email.trim().toLowerCase()}\n${clientIp}`);
}
