import { dictionary as common } from '@zxcvbn-ts/language-common';
import { dictionary as english } from '@zxcvbn-ts/language-en';

/**
 * NIST SP 800-63B / OWASP ASVS: length limits, no composition rules, and a block-list of passwords
 * known to be common or breached. The lists ship with zxcvbn-ts: `passwords-common` (about 49,000
 * of the most frequent passwords from public breach corpora) and English words, first and last names
 * and Wikipedia terms (a password that is one such word falls to the first dictionary pass).
 */
export const passwordLength = { min: 8, max: 128 };

const breached = new Set(common['passwords-common']);
const dictionaryWords = new Set([
  ...english['commonWords-en'],
  ...english['firstnames-en'],
  ...english['lastnames-en'],
  ...english['wikipedia-en'],
]);
const serviceWords = ['echoplex'];

/** Leetspeak is the first mangling rule every cracker tries, so it gains nothing. */
const leet: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

export type PasswordVerdict =
  | { ok: true }
  | {
      ok: false;
      reason: 'too_short' | 'too_long' | 'breached' | 'dictionary_word' | 'personal' | 'pattern';
      message: string;
    };

export interface PasswordContext {
  email?: string;
  firstName?: string;
  lastName?: string;
}

export function checkPassword(password: string, context: PasswordContext = {}): PasswordVerdict {
  // NIST counts each Unicode code point as one character.
  const length = [...password].length;
  if (length < passwordLength.min) {
    return refuse('too_short', `Use at least ${passwordLength.min} characters; a few unrelated words work well.`);
  }
  if (length > passwordLength.max) {
    return refuse('too_long', `Use at most ${passwordLength.max} characters.`);
  }
  const lower = password.normalize('NFKC').toLowerCase();
  const compact = lower.replace(/\s+/g, '');
  const candidates = new Set([lower, compact, deLeet(compact), ...withoutShortSuffix(compact)]);
  for (const candidate of candidates) {
    if (breached.has(candidate)) {
      return refuse(
        'breached',
        'This password is on lists of common or leaked passwords that attackers try first; choose another, for example a few unrelated words.',
      );
    }
  }
  if (isPattern(compact)) {
    return refuse('pattern', 'Repeated or sequential characters (like "aaaaaaaa" or "12345678") are easy to guess.');
  }
  for (const candidate of candidates) {
    if (dictionaryWords.has(candidate)) {
      return refuse(
        'dictionary_word',
        'A single dictionary word or name is easy to guess; combine several unrelated words.',
      );
    }
  }
  const personal = personalWords(context);
  if (personal.some((word) => candidates.has(word))) {
    return refuse('personal', 'Do not build the password from your name, your email address or the site name.');
  }
  return { ok: true };
}

function refuse(reason: Exclude<PasswordVerdict, { ok: true }>['reason'], message: string): PasswordVerdict {
  return { ok: false, reason, message };
}

function deLeet(value: string): string {
  return [...value].map((char) => leet[char] ?? char).join('');
}

/** `password2024!` is `password` with the suffix people add to satisfy composition rules. */
function withoutShortSuffix(value: string): string[] {
  const match = /^(.*?[a-z@$])([^a-z]{1,6})$/.exec(value);
  if (!match?.[1]) return [];
  return [match[1], deLeet(match[1])];
}

function isPattern(value: string): boolean {
  const chars = [...value];
  // One short unit repeated: "aaaaaaaa", "abcabcabc", "12121212".
  for (let unit = 1; unit <= 4; unit += 1) {
    if (chars.length >= unit * 2 && chars.every((char, index) => char === chars[index % unit])) return true;
  }
  // One ascending or descending run: "12345678", "abcdefgh", "98765432".
  const codes = chars.map((char) => char.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return Math.abs(step) === 1 && codes.every((code, index) => index === 0 || code - (codes[index - 1] ?? 0) === step);
}

/** The password is the user's own name, email (or its local part), or the site name, give or take a suffix. */
function personalWords(context: PasswordContext): string[] {
  const email = context.email?.toLowerCase() ?? '';
  const fullName = `${context.firstName ?? ''}${context.lastName ?? ''}`;
  return [email, email.split('@')[0], context.firstName, context.lastName, fullName, ...serviceWords]
    .map((word) => (word ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ''))
    .filter((word) => word.length > 0);
}
