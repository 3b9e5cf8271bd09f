import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { PasswordHasher, passwordHashParameters } from '../src/domain/password-hashing';

describe('password hashing', () => {
  const hasher = new PasswordHasher();

  it('makes argon2id hashes at no less than OWASP’s parameters', async () => {
    const hash = await hasher.hash('violet kettle harbour 42');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwordHashParameters.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(passwordHashParameters.timeCost).toBeGreaterThanOrEqual(2);
    expect(await hasher.verify(hash, 'violet kettle harbour 42')).toBe(true);
    expect(await hasher.verify(hash, 'violet kettle harbour 43')).toBe(false);
  });

  it('matches the same password typed in another Unicode form', async () => {
    const composed = 'caf\u00e9 au lait 2027';
    const decomposed = 'cafe\u0301 au lait 2027';
    expect(await hasher.verify(await hasher.hash(composed), decomposed)).toBe(true);
  });

  it('asks for a rehash when the parameters differ, and not otherwise', async () => {
    const weaker = new PasswordHasher({ memoryCost: 8_192, timeCost: 1, parallelism: 1 });
    expect(hasher.needsRehash(await weaker.hash('violet kettle harbour 42'))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('violet kettle harbour 42'))).toBe(false);
    expect(hasher.needsRehash('not a hash')).toBe(true);
  });

  it('reads hashes made by the other argon2 binding', async () => {
    const fromNodeArgon2 = await argon2.hash('violet kettle harbour 42', {
      type: argon2.argon2id,
      ...passwordHashParameters,
    });
    expect(await hasher.verify(fromNodeArgon2, 'violet kettle harbour 42')).toBe(true);
    expect(hasher.needsRehash(fromNodeArgon2)).toBe(false);
  });

  it('answers false, not an error, for a stored value that is not a hash', async () => {
    expect(await hasher.verify('plain text', 'plain text')).toBe(false);
  });
});
