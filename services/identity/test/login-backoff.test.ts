import { describe, expect, it } from 'vitest';
import { loginBackoff, loginBackoffSeconds, loginRetryAfterSeconds } from '../src/domain/login-backoff';

describe('login backoff', () => {
  it('lets the free failures pass, then doubles the wait with every failure up to the cap', () => {
    const free = loginBackoff.freeFailures;
    expect(loginBackoffSeconds(free)).toBe(0);
    expect(loginBackoffSeconds(free + 1)).toBe(loginBackoff.firstDelaySeconds);
    expect(loginBackoffSeconds(free + 2)).toBe(2 * loginBackoff.firstDelaySeconds);
    expect(loginBackoffSeconds(free + 3)).toBe(4 * loginBackoff.firstDelaySeconds);
    expect(loginBackoffSeconds(free + 100)).toBe(loginBackoff.maxDelaySeconds);
  });

  it('counts the wait from the last failure', () => {
    const lastFailedAt = new Date('2027-03-01T18:00:00.000Z');
    const failures = loginBackoff.freeFailures + 1;
    const after = (seconds: number) => new Date(lastFailedAt.getTime() + seconds * 1000);
    expect(loginRetryAfterSeconds(undefined, lastFailedAt)).toBe(0);
    expect(loginRetryAfterSeconds({ failures, lastFailedAt }, after(0))).toBe(loginBackoff.firstDelaySeconds);
    expect(loginRetryAfterSeconds({ failures, lastFailedAt }, after(10.5))).toBe(loginBackoff.firstDelaySeconds - 10);
    expect(loginRetryAfterSeconds({ failures, lastFailedAt }, after(loginBackoff.firstDelaySeconds))).toBe(0);
    expect(loginRetryAfterSeconds({ failures: loginBackoff.freeFailures, lastFailedAt }, after(0))).toBe(0);
  });
});
