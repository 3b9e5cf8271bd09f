import { mailerConfig } from '@echoplex/mailer';
import { z } from 'zod';
import { defaultHoldPolicy } from './domain/account-limits';
import { defaultHoldMinutes, type TicketingOptions } from './plugin';

/** Settings of the service beyond the common ones; parsed by main.ts (or the gateway) only. */
export const ticketingConfig = mailerConfig.extend({
  TICKETING_HOLD_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(defaultHoldMinutes),
  /** Unpaid holds one account may have for one event at once. */
  TICKETING_MAX_PENDING_HOLDS: z.coerce.number().int().min(1).max(100).default(defaultHoldPolicy.maxPendingHolds),
  /** After this many of an account's holds for an event expired within the window, it waits. */
  TICKETING_HOLD_COOLDOWN_AFTER_EXPIRIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(defaultHoldPolicy.cooldownAfterExpiries),
  TICKETING_HOLD_COOLDOWN_WINDOW_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(defaultHoldPolicy.cooldownWindowMinutes),
  /** How long, after its last expired hold, such an account waits for its next hold. */
  TICKETING_HOLD_COOLDOWN_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(defaultHoldPolicy.cooldownMinutes),
  /** One group per deployment, shared by its instances. */
  TICKETING_CONSUMER_GROUP: z.string().min(1).default('ticketing'),
});
export type TicketingConfig = z.infer<typeof ticketingConfig>;

export function ticketingOptionsFromConfig(config: TicketingConfig): TicketingOptions {
  return {
    holdMinutes: config.TICKETING_HOLD_MINUTES,
    holdPolicy: {
      maxPendingHolds: config.TICKETING_MAX_PENDING_HOLDS,
      cooldownAfterExpiries: config.TICKETING_HOLD_COOLDOWN_AFTER_EXPIRIES,
      cooldownWindowMinutes: config.TICKETING_HOLD_COOLDOWN_WINDOW_MINUTES,
      cooldownMinutes: config.TICKETING_HOLD_COOLDOWN_MINUTES,
    },
    consumerGroup: config.TICKETING_CONSUMER_GROUP,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
  };
}
