import { describe, expect, it } from 'vitest';
import { judgePasswordReset, judgeRefreshToken } from '../src/domain/token-rules';

const now = new Date('2027-03-01T12:00:00.000Z');
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);

describe('refresh token rotation', () => {
  it('rotates a live token that was never used', () => {
    expect(judgeRefreshToken({ expiresAt: later, usedAt: null, revokedAt: null }, now)).toBe('rotate');
  });

  it('treats a token that was already exchanged as reuse, even after it expired', () => {
    expect(judgeRefreshToken({ expiresAt: later, usedAt: earlier, revokedAt: null }, now)).toBe('reuse');
    expect(judgeRefreshToken({ expiresAt: earlier, usedAt: earlier, revokedAt: null }, now)).toBe('reuse');
  });

  it('refuses revoked, expired and unknown tokens without calling them reuse', () => {
    expect(judgeRefreshToken({ expiresAt: later, usedAt: earlier, revokedAt: earlier }, now)).toBe('revoked');
    expect(judgeRefreshToken({ expiresAt: later, usedAt: null, revokedAt: earlier }, now)).toBe('revoked');
    expect(judgeRefreshToken({ expiresAt: now, usedAt: null, revokedAt: null }, now)).toBe('expired');
    expect(judgeRefreshToken(undefined, now)).toBe('unknown');
  });
});

describe('password reset tokens', () => {
  it('are valid once, until they expire', () => {
    expect(judgePasswordReset({ expiresAt: later, usedAt: null }, now)).toBe('valid');
    expect(judgePasswordReset({ expiresAt: later, usedAt: earlier }, now)).toBe('used');
    expect(judgePasswordReset({ expiresAt: now, usedAt: null }, now)).toBe('expired');
    expect(judgePasswordReset(undefined, now)).toBe('unknown');
  });
});
