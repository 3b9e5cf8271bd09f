import type { BusTables } from '@echoplex/bus';
import type { ColumnType, Generated } from '@echoplex/db';
import type { PaymentFlag } from '../domain/charge-mismatch';
import type { HoldStatus } from '../domain/hold-status';
import type { PaymentStatus, RefundStatus } from '../domain/payment-status';

/** The local read model of ticketing's holds: what a registration costs and who may pay for it. */
export interface HoldsTable {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  userId: string;
  quantity: number;
  amount: number;
  currency: string;
  status: HoldStatus;
  expiresAt: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** The local read model of who organizes each event (from `events.event.v1`). */
export interface EventOwnersTable {
  eventId: string;
  organizerId: string;
  updatedAt: Generated<Date>;
}

/** One row per payment attempt of a registration; Stripe's PaymentIntent id once it is known. */
export interface PaymentsTable {
  id: string;
  registrationId: string;
  eventId: string;
  userId: string;
  attempt: number;
  amount: number;
  currency: string;
  status: PaymentStatus;
  stripePaymentIntentId: string | null;
  stripeIdempotencyKey: string;
  failureCode: string | null;
  refundedAmount: Generated<number>;
  cancelRequestedAt: Date | null;
  checkedAt: Date | null;
  succeededAt: Date | null;
  /** Set when Stripe reported a success that does not match the payment; such a success is not applied. */
  flag: Generated<PaymentFlag | null>;
  flaggedAt: Generated<Date | null>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface RefundsTable {
  id: string;
  paymentId: string;
  amount: number;
  reason: string | null;
  status: RefundStatus;
  stripeRefundId: string | null;
  /** `organizer:<userId>`, `ticketing` (a cancellation asked for it) or `stripe` (made in Stripe's dashboard). */
  requestedBy: string;
  /** The ticketing event that asked for it: one refund per cancellation, however often it is redelivered. */
  sourceEventId: string | null;
  failureReason: string | null;
  succeededAt: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** Every verified Stripe event, stored before it is answered and processed once from here. */
export interface WebhookEventsTable {
  id: string;
  type: string;
  payload: ColumnType<unknown, string, string>;
  receivedAt: Generated<Date>;
  processedAt: Date | null;
  attempts: Generated<number>;
  nextAttemptAt: Generated<Date>;
  lastError: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number | null;
  response: ColumnType<unknown, string | null, string | null>;
  createdAt: Generated<Date>;
}

export interface PaymentsDb extends BusTables {
  holds: HoldsTable;
  eventOwners: EventOwnersTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  webhookEvents: WebhookEventsTable;
  idempotencyKeys: IdempotencyKeysTable;
}
