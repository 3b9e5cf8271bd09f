import { mailerConfig } from '@echoplex/mailer';
import { z } from 'zod';
import { defaultMaxWaitingHashes } from './domain/password-hashing';

/** Settings of the identity service beyond the common ones; parsed by whoever starts it (main.ts). */
export const identityConfig = mailerConfig.extend({
  /** Password hashes that may wait for a thread; one more is answered 503 with `Retry-After`. */
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(defaultMaxWaitingHashes),
});
export type IdentityConfig = z.infer<typeof identityConfig>;
