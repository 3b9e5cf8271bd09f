/**
 * Which argon2 binding verifies faster at the production parameters (argon2id, m = 19456 KiB, t = 2,
 * p = 1) with 16 verifications in flight, as 16 concurrent logins would cause. Rounds alternate
 * between the libraries so a noisy neighbour on the shared machine hurts both alike.
 *
 *   npx tsx bench/login/argon2-libraries.ts [rounds] [verificationsPerRound]
 */
import { availableParallelism } from 'node:os';
import * as rs from '@node-rs/argon2';
import argon2 from 'argon2';

const parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const concurrency = 16;
const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 160);
const password = 'a reasonably long passphrase';

interface Library {
  name: string;
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

const libraries: Library[] = [
  {
    name: 'argon2 (node-argon2)',
    hash: (value) => argon2.hash(value, { type: argon2.argon2id, ...parameters }),
    verify: (hash, value) => argon2.verify(hash, value),
  },
  {
    name: '@node-rs/argon2',
    // 2 is Algorithm.Argon2id; the const enum is ambient and cannot be read under isolatedModules.
    hash: (value) => rs.hash(value, { algorithm: 2 as rs.Algorithm, ...parameters }),
    verify: (hash, value) => rs.verify(hash, value),
  },
];

async function measure(task: () => Promise<unknown>, count: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const begin = performance.now();
        await task();
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: count / seconds, p50: at(0.5), p99: at(0.99) };
}

const hashes = new Map<string, string>();
for (const library of libraries) hashes.set(library.name, await library.hash(password));
// Each library must read the other's hashes: switching later must not invalidate stored passwords.
const [first, second] = libraries as [Library, Library];
const interoperable =
  (await first.verify(hashes.get(second.name)!, password)) && (await second.verify(hashes.get(first.name)!, password));

const results = new Map<string, { verify: number[]; p99: number[]; hash: number[] }>();
for (let round = 0; round < rounds; round += 1) {
  const order = round % 2 === 0 ? libraries : [...libraries].reverse();
  for (const library of order) {
    const hash = hashes.get(library.name)!;
    const verify = await measure(() => library.verify(hash, password), perRound);
    const hashing = await measure(() => library.hash(password), perRound / 2);
    const entry = results.get(library.name) ?? { verify: [], p99: [], hash: [] };
    entry.verify.push(verify.perSecond);
    entry.p99.push(verify.p99);
    entry.hash.push(hashing.perSecond);
    results.set(library.name, entry);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  `cores ${availableParallelism()}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ` +
    `concurrency ${concurrency}, ${rounds} rounds x ${perRound} verifications, m=${parameters.memoryCost} t=${parameters.timeCost} p=${parameters.parallelism}`,
);
console.log(`hashes interoperate: ${interoperable}`);
console.log('| library | verify/s (median) | verify p99 ms (median) | hash/s (median) | verify/s per round |');
console.log('|---|---|---|---|---|');
for (const [name, entry] of results) {
  console.log(
    `| ${name} | ${median(entry.verify).toFixed(1)} | ${median(entry.p99).toFixed(1)} | ${median(entry.hash).toFixed(1)} | ${entry.verify.map((v) => v.toFixed(1)).join(', ')} |`,
  );
}
