import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import { ConcurrencyLimit } from './concurrency-limit';
import { hashingBusy } from './identity-problems';

/**
 * OWASP's argon2id minimum (m = 19 MiB, t = 2, p = 1). `@node-rs/argon2` verified about 2.5x faster
 * than `argon2` here at these parameters with 16 verifications in flight (bench/login/RESULTS.md);
 * both read the same PHC strings, so switching back needs no migration.
 */
export const passwordHashParameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Algorithm.Argon2id and Version.V0x13: the const enums are ambient and unreadable under isolatedModules.
const argon2id = 2 as Algorithm;
const version0x13 = 1;

export interface PasswordHashParameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which
 * WebCrypto (token verification of every service in embedded mode) and file reads share. Capping
 * hashes at one less than the pool keeps a thread free for those: with 16 logins in flight a jose
 * verification took 0.1 ms instead of 390 ms (bench/login/thread-pool.ts). A cap at the core count
 * (2 here) gave argon2 fewer threads, so a smaller share of a CPU contended by other processes.
 */
export const defaultMaxConcurrentHashes = 3;

/**
 * Hashes waiting for a thread beyond those running (PASSWORD_HASH_QUEUE). At tens of milliseconds
 * a hash, 32 behind 3 threads is a wait of a second or so; past that a caller is told to retry.
 */
export const defaultMaxWaitingHashes = 32;

export class PasswordHasher {
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly parameters: PasswordHashParameters = passwordHashParameters,
    maxConcurrentHashes = defaultMaxConcurrentHashes,
    maxWaitingHashes = defaultMaxWaitingHashes,
  ) {
    this.limit = new ConcurrencyLimit(maxConcurrentHashes, maxWaitingHashes, hashingBusy);
  }

  hash(password: string): Promise<string> {
    return this.limit.run(() => hash(normalize(password), { algorithm: argon2id, ...this.parameters }));
  }

  /**
   * False for a wrong password and for a stored value that is not an argon2 hash at all; a full
   * queue is refused (503), not taken for a wrong password.
   */
  verify(stored: string, password: string): Promise<boolean> {
    return this.limit.run(async () => {
      try {
        return await verify(stored, normalize(password));
      } catch {
        return false;
      }
    });
  }

  /** True when the stored hash was made with other parameters than today's. */
  needsRehash(stored: string): boolean {
    try {
      const options = parseOptions(stored);
      return (
        (options.algorithm as number) !== (argon2id as number) ||
        (options.version as number) !== version0x13 ||
        options.memoryCost !== this.parameters.memoryCost ||
        options.timeCost !== this.parameters.timeCost ||
        options.parallelism !== this.parameters.parallelism
      );
    } catch {
      return true;
    }
  }

  /**
   * A hash of a random password, verified against when an email is unknown so that the answer takes
   * as long as for a known email with a wrong password.
   */
  dummyHash(): Promise<string> {
    return this.hash(randomBytes(24).toString('base64url'));
  }
}

/** NIST: normalise Unicode so the same password typed on another keyboard still matches. */
function normalize(password: string): string {
  return password.normalize('NFKC');
}
