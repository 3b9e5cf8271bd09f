import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth';
import { VerifiedTokens } from '../src/verified-tokens';

const alice: Principal = { userId: 'alice', role: 'organizer', sessionId: 'session-a' };
const bob: Principal = { userId: 'bob', role: 'attendee', sessionId: 'session-b' };
const keysA = { name: 'key set A' };
const keysB = { name: 'key set B' };

describe('verified tokens', () => {
  it('recalls a token until the moment it expires', () => {
    const tokens = new VerifiedTokens<Principal>(10);
    tokens.remember('t1', keysA, alice, 2_000);
    expect(tokens.recall('t1', keysA, 1_999)).toEqual(alice);
    expect(tokens.recall('t1', keysA, 2_000)).toBeUndefined();
    expect(tokens.recall('t1', keysA, 1_000)).toBeUndefined();
  });

  it('recalls nothing verified against another key set, and forgets it once a new set is in use', () => {
    const tokens = new VerifiedTokens<Principal>(10);
    tokens.remember('t1', keysA, alice, 9_000);
    expect(tokens.recall('t1', keysB, 1_000)).toBeUndefined();
    tokens.remember('t2', keysB, bob, 9_000);
    expect(tokens.recall('t1', keysA, 1_000)).toBeUndefined();
    expect(tokens.recall('t2', keysB, 1_000)).toEqual(bob);
  });

  it('keeps at most its capacity, dropping the oldest first', () => {
    const tokens = new VerifiedTokens<Principal>(2);
    tokens.remember('t1', keysA, alice, 9_000);
    tokens.remember('t2', keysA, bob, 9_000);
    tokens.remember('t3', keysA, alice, 9_000);
    expect(tokens.recall('t1', keysA, 1_000)).toBeUndefined();
    expect(tokens.recall('t2', keysA, 1_000)).toEqual(bob);
    expect(tokens.recall('t3', keysA, 1_000)).toEqual(alice);
  });

  it('remembers nothing with capacity 0', () => {
    const tokens = new VerifiedTokens<Principal>(0);
    tokens.remember('t1', keysA, alice, 9_000);
    expect(tokens.recall('t1', keysA, 1_000)).toBeUndefined();
  });
});
