import { z } from 'zod';

export const defaultMailFrom = 'EchoPlex <no-reply@echoplex.local>';

/** Settings of the identity service beyond the common ones; parsed by whoever starts it (main.ts). */
export const identityConfig = z.object({
  /** `smtp://user:pass@host:587` or `smtps://...`; without it mail is kept for GET /api/dev/mailbox. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default(defaultMailFrom),
});
export type IdentityConfig = z.infer<typeof identityConfig>;
