import { mailerConfig } from '@echoplex/mailer';
import type { z } from 'zod';

/** Settings of the identity service beyond the common ones; parsed by whoever starts it (main.ts). */
export const identityConfig = mailerConfig;
export type IdentityConfig = z.infer<typeof identityConfig>;
