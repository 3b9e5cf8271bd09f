import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or off paper cannot be misread. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten symbols of five bits each: 50 random bits, far beyond guessing, still short enough to type. */
export const codeLength = 10;

export function newConfirmationCode(): string {
  // 8 random bytes give 64 bits; the first 50 of them become the ten symbols.
  let bits = randomBytes(8).readBigUInt64BE();
  let code = '';
  for (let i = 0; i < codeLength; i++) {
    code += alphabet[Number(bits & 31n)];
    bits >>= 5n;
  }
  return code;
}

/**
 * What a door scanner or a person typed, in canonical form: case-insensitive, hyphens and spaces
 * ignored, and the letters Crockford maps to digits (I, L → 1; O → 0) read as those digits.
 */
export function normalizeConfirmationCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export function isConfirmationCode(code: string): boolean {
  return code.length === codeLength && [...code].every((symbol) => alphabet.includes(symbol));
}
