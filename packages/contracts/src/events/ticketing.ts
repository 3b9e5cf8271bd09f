import { z } from 'zod';

export const TicketTypeState = z.object({
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  name: z.string(),
  price: z.number().int().nonnegative(),
  currency: z.string().length(3),
  quantity: z.number().int().nonnegative(),
  salesStart: z.iso.datetime().nullable(),
  salesEnd: z.iso.datetime().nullable(),
});
export type TicketTypeState = z.infer<typeof TicketTypeState>;
export const TicketTypeCreated = TicketTypeState;
export type TicketTypeCreated = TicketTypeState;
export const TicketTypeUpdated = TicketTypeState;
export type TicketTypeUpdated = TicketTypeState;
export const TicketTypeDeleted = z.object({ eventId: z.uuid(), ticketTypeId: z.uuid() });
export type TicketTypeDeleted = z.infer<typeof TicketTypeDeleted>;

export const AvailabilityChanged = z.object({
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  available: z.number().int().nonnegative(),
  quantity: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
});
export type AvailabilityChanged = z.infer<typeof AvailabilityChanged>;

const RegistrationFacts = z.object({
  registrationId: z.uuid(),
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  userId: z.uuid(),
  quantity: z.number().int().positive(),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  occurredAt: z.iso.datetime(),
});

export const RegistrationHeld = RegistrationFacts.extend({ expiresAt: z.iso.datetime() });
export type RegistrationHeld = z.infer<typeof RegistrationHeld>;
export const RegistrationConfirmed = RegistrationFacts;
export type RegistrationConfirmed = z.infer<typeof RegistrationConfirmed>;
export const RegistrationCancelled = RegistrationFacts.extend({
  /** `hold_lost`: payment arrived after the hold expired and no seats were left, so it must be refunded. */
  reason: z.enum(['attendee', 'event_cancelled', 'refunded', 'hold_lost']),
  refundRequested: z.boolean(),
});
export type RegistrationCancelled = z.infer<typeof RegistrationCancelled>;
export const RegistrationExpired = RegistrationFacts;
export type RegistrationExpired = z.infer<typeof RegistrationExpired>;

export const TicketCheckedIn = z.object({
  ticketId: z.uuid(),
  registrationId: z.uuid(),
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  checkedInAt: z.iso.datetime(),
});
export type TicketCheckedIn = z.infer<typeof TicketCheckedIn>;
