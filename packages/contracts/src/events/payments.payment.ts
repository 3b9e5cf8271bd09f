import { z } from 'zod';

const PaymentFacts = z.object({
  paymentId: z.uuid(),
  registrationId: z.uuid(),
  eventId: z.uuid(),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  occurredAt: z.iso.datetime(),
});

export const PaymentIntentCreated = PaymentFacts.extend({ stripePaymentIntentId: z.string() });
export type PaymentIntentCreated = z.infer<typeof PaymentIntentCreated>;
export const PaymentSucceeded = PaymentFacts;
export type PaymentSucceeded = z.infer<typeof PaymentSucceeded>;
export const PaymentFailed = PaymentFacts.extend({ failureCode: z.string().nullable() });
export type PaymentFailed = z.infer<typeof PaymentFailed>;
/** `amount` is this refund; `refundedTotal` all refunds so far, so consumers can tell partial from full. */
export const PaymentRefunded = PaymentFacts.extend({
  refundId: z.string(),
  refundedTotal: z.number().int().nonnegative(),
  fullyRefunded: z.boolean(),
});
export type PaymentRefunded = z.infer<typeof PaymentRefunded>;
