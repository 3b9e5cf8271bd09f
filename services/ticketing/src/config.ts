import { mailerConfig } from '@echoplex/mailer';
import { z } from 'zod';
import { defaultHoldMinutes, type TicketingOptions } from './plugin';

/** Settings of the service beyond the common ones; parsed by main.ts (or the gateway) only. */
export const ticketingConfig = mailerConfig.extend({
  TICKETING_HOLD_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(defaultHoldMinutes),
  /** One group per deployment, shared by its instances. */
  TICKETING_CONSUMER_GROUP: z.string().min(1).default('ticketing'),
});
export type TicketingConfig = z.infer<typeof ticketingConfig>;

export function ticketingOptionsFromConfig(config: TicketingConfig): TicketingOptions {
  return {
    holdMinutes: config.TICKETING_HOLD_MINUTES,
    consumerGroup: config.TICKETING_CONSUMER_GROUP,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
  };
}
