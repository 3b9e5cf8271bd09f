import { describe, expect, it } from 'vitest';
import { SessionRevocations } from '../src/session-revocations';

const minute = 60_000;

describe('session revocations', () => {
  it('answers for revoked sessions only', () => {
    const revocations = new SessionRevocations();
    revocations.revoke(['a', 'b'], 15 * minute, 0);
    expect(revocations.isRevoked('a')).toBe(true);
    expect(revocations.isRevoked('b')).toBe(true);
    expect(revocations.isRevoked('c')).toBe(false);
  });

  it('forgets a revocation once every token it covered has expired', () => {
    const revocations = new SessionRevocations();
    revocations.revoke(['old'], 15 * minute, 0);
    revocations.revoke(['new'], 20 * minute, 5 * minute);
    revocations.revoke(['newer'], 31 * minute, 16 * minute);
    expect(revocations.isRevoked('old')).toBe(false);
    expect(revocations.isRevoked('new')).toBe(true);
    expect(revocations.size).toBe(2);
  });

  it('ignores a revocation whose tokens have all expired already (history read at start)', () => {
    const revocations = new SessionRevocations();
    revocations.revoke(['long-gone'], 15 * minute, 60 * minute);
    expect(revocations.isRevoked('long-gone')).toBe(false);
    expect(revocations.size).toBe(0);
  });

  it('tells listeners of newly revoked sessions once, also when the message is redelivered', () => {
    const revocations = new SessionRevocations();
    const heard: string[][] = [];
    const stop = revocations.onRevoke((sessionIds) => heard.push([...sessionIds]));
    revocations.revoke(['a', 'b'], 15 * minute, 0);
    revocations.revoke(['a', 'b'], 15 * minute, 0);
    revocations.revoke(['b', 'c'], 15 * minute, 0);
    stop();
    revocations.revoke(['d'], 15 * minute, 0);
    expect(heard).toEqual([['a', 'b'], ['c']]);
  });
});
