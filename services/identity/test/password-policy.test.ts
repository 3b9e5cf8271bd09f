import { describe, expect, it } from 'vitest';
import { checkPassword } from '../src/domain/password-policy';

describe('password policy', () => {
  it('accepts long passphrases and random strings without composition rules', () => {
    expect(checkPassword('violet kettle harbour 42')).toEqual({ ok: true });
    expect(checkPassword('correct horse battery staple')).toEqual({ ok: true });
    expect(checkPassword('q7#Lm2vX')).toEqual({ ok: true });
    expect(checkPassword('alllowercasebutlongenoughyes')).toEqual({ ok: true });
  });

  it('counts characters as Unicode code points: 8 emoji or accented letters are 8 characters', () => {
    expect(checkPassword('🎟️🎫🎪🎭🎨🎬🎤🎧').ok).toBe(true);
    expect(checkPassword('ñandú émû').ok).toBe(true);
    expect(checkPassword('🎟🎫🎪🎭🎨🎬🎤')).toMatchObject({ ok: false, reason: 'too_short' });
  });

  it('refuses fewer than 8 and more than 128 characters', () => {
    expect(checkPassword('x7#Lm2v')).toMatchObject({ ok: false, reason: 'too_short' });
    expect(checkPassword('a'.repeat(129))).toMatchObject({ ok: false, reason: 'too_long' });
    expect(checkPassword(`${'violet kettle '.repeat(9)}ab`).ok).toBe(true);
  });

  it('refuses passwords from the common/breached list, whatever the case', () => {
    for (const password of ['password', 'Password1', 'iloveyou1', 'QWERTYUIOP', 'trustno1', 'sunshine']) {
      expect(checkPassword(password), password).toMatchObject({ ok: false, reason: 'breached' });
    }
  });

  it('sees through leetspeak and the short suffixes people add to common passwords', () => {
    for (const password of ['P@ssw0rd', 'p@ssw0rd!', 'password2024!', 'Sunshine99', 'football#1']) {
      expect(checkPassword(password), password).toMatchObject({ ok: false, reason: 'breached' });
    }
  });

  it('refuses repeated and sequential characters', () => {
    for (const password of ['zzzzzzzzzz', 'xyzxyzxyz', '2468246824682468', 'abcdefghijk', '9876543210']) {
      const verdict = checkPassword(password);
      expect(verdict.ok, password).toBe(false);
    }
    expect(checkPassword('abcdefghijk')).toMatchObject({ reason: expect.stringMatching(/pattern|breached/) });
  });

  it('refuses a single dictionary word or name', () => {
    expect(checkPassword('anticipation')).toMatchObject({ ok: false, reason: 'dictionary_word' });
    expect(checkPassword('Wellington')).toMatchObject({ ok: false });
  });

  it('refuses the user’s own name, email or the site name', () => {
    const context = { email: 'grace.hopper@example.test', firstName: 'Grace', lastName: 'Hopperstein' };
    expect(checkPassword('grace.hopper', context)).toMatchObject({ ok: false, reason: 'personal' });
    expect(checkPassword('GraceHopperstein', context)).toMatchObject({ ok: false, reason: 'personal' });
    expect(checkPassword('grace.hopper@example.test', context)).toMatchObject({ ok: false, reason: 'personal' });
    expect(checkPassword('echoplex2024', context)).toMatchObject({ ok: false, reason: 'personal' });
    expect(checkPassword('grace under pressure 7', context).ok).toBe(true);
  });

  it('explains every refusal in words a user can act on', () => {
    const verdict = checkPassword('password');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(/common or leaked passwords/);
  });
});
