import { z } from 'zod';

export const defaultMailFrom = 'EchoPlex <no-reply@echoplex.local>';

/** The mail settings of every service that sends mail; each service's config extends it. */
export const mailerConfig = z.object({
  /** `smtp://user:pass@host:587` or `smtps://...`; without it mail is kept for GET /api/dev/mailbox. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default(defaultMailFrom),
});
export type MailerConfig = z.infer<typeof mailerConfig>;
