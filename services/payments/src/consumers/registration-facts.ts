import type { RegistrationConfirmed } from '@echoplex/contracts';

/** The hold columns every registration event carries, so any of them can create a missing hold row. */
export function holdFacts(data: RegistrationConfirmed) {
  return {
    registrationId: data.registrationId,
    eventId: data.eventId,
    ticketTypeId: data.ticketTypeId,
    userId: data.userId,
    quantity: data.quantity,
    amount: data.amount,
    currency: data.currency,
    expiresAt: null,
  };
}
