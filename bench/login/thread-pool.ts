/**
 * Why identity signs tokens with node:crypto and caps concurrent hashes: WebCrypto jobs (jose's
 * signing and verification) share libuv's thread pool with argon2. With 16 verifications in
 * flight, this measures a jose EdDSA sign and verify, and a node:crypto sign, once with bare
 * `@node-rs/argon2` calls (every pool thread busy, 12 jobs queued) and once through the identity
 * service's PasswordHasher (at most 3 at a time). Rounds alternate.
 *
 *   npx tsx bench/login/thread-pool.ts [rounds]
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import { PasswordHasher, passwordHashParameters } from '../../services/identity/src/domain/password-hashing';

const rounds = Number(process.argv[2] ?? 3);
const samples = 40;
const password = 'violet kettle harbour 42';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const stored = await hash(password, passwordHashParameters);
const hasher = new PasswordHasher();
const token = await new SignJWT({ role: 'attendee' }).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);

async function underLoad(verifyPassword: () => Promise<unknown>) {
  let running = true;
  const load = Array.from({ length: 16 }, async () => {
    while (running) await verifyPassword();
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const timings = { joseSign: [] as number[], joseVerify: [] as number[], nodeSign: [] as number[] };
  for (let index = 0; index < samples; index += 1) {
    let begin = performance.now();
    await new SignJWT({ role: 'attendee' }).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
    timings.joseSign.push(performance.now() - begin);
    begin = performance.now();
    await jwtVerify(token, publicKey, { algorithms: ['EdDSA'] });
    timings.joseVerify.push(performance.now() - begin);
    begin = performance.now();
    sign(null, Buffer.from('header.payload'), privateKey);
    timings.nodeSign.push(performance.now() - begin);
  }
  running = false;
  await Promise.all(load);
  return timings;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  '| argon2 calls (16 in flight) | jose sign ms (median) | jose verify ms (median) | node:crypto sign ms (median) |',
);
console.log('|---|---|---|---|');
for (let round = 0; round < rounds; round += 1) {
  for (const [name, verifyPassword] of [
    ['bare @node-rs/argon2', () => verify(stored, password)],
    ['PasswordHasher (at most 3)', () => hasher.verify(stored, password)],
  ] as const) {
    const timings = await underLoad(verifyPassword);
    console.log(
      `| ${name} | ${median(timings.joseSign).toFixed(2)} | ${median(timings.joseVerify).toFixed(2)} | ${median(timings.nodeSign).toFixed(2)} |`,
    );
  }
}
