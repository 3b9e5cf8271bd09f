import { z } from 'zod';

export const PublicPaymentStatus = z.enum(['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded']);

export const CreatedIntent = z.object({
  paymentId: z.uuid(),
  clientSecret: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: PublicPaymentStatus,
});

export const RefundCreated = z.object({
  id: z.uuid(),
  paymentId: z.uuid(),
  amount: z.number().int(),
  status: z.enum(['pending', 'succeeded', 'failed']),
});

export const PaymentView = z.object({
  id: z.uuid(),
  registrationId: z.uuid(),
  eventId: z.uuid(),
  amount: z.number().int(),
  currency: z.string(),
  status: PublicPaymentStatus,
  refundedAmount: z.number().int(),
  failureCode: z.string().nullable(),
  /** Stripe reported a success for another amount or currency: not applied, left to a person to settle. */
  flag: z.enum(['amount_mismatch', 'currency_mismatch']).nullable(),
  stripePaymentIntentId: z.string().nullable(),
  refunds: z.array(
    z.object({
      id: z.uuid(),
      amount: z.number().int(),
      status: z.enum(['pending', 'succeeded', 'failed']),
      reason: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().optional() });
