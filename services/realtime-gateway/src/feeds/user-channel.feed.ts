import type { PaymentFailed, PaymentIntentCreated, PaymentRefunded, PaymentSucceeded } from '@echoplex/contracts';
import { channelOf } from '../model/channel';
import type { ChannelVersions } from '../model/channel-versions';
import type { RegistrationChange, SalesLedger } from '../model/sales-ledger';
import type { ChannelHub } from '../socket/channel-hub';

type PaymentEvent = PaymentIntentCreated | PaymentSucceeded | PaymentFailed | PaymentRefunded;
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export function paymentStatusOf(type: string, data: PaymentEvent): PaymentStatus | undefined {
  switch (type) {
    case 'payment.intent_created':
      return 'pending';
    case 'payment.succeeded':
      return 'succeeded';
    case 'payment.failed':
      return 'failed';
    case 'payment.refunded':
      return 'fullyRefunded' in data && data.fullyRefunded ? 'refunded' : 'partially_refunded';
    default:
      return undefined;
  }
}

export interface UserChannelFeedOptions {
  ledger: SalesLedger;
  hub: ChannelHub;
  versions: ChannelVersions;
  clock?: () => number;
}

/**
 * `user:<userId>`: the user's own registrations and payments. Payments name the registration, not
 * the user; the ledger knows whose registration it is. The version floor is the clock: these
 * messages come from two topics with no common order, and the clock keeps versions growing across
 * reconnects and instances without keeping state for users nobody watches.
 */
export class UserChannelFeed {
  private readonly clock: () => number;

  constructor(private readonly options: UserChannelFeedOptions) {
    this.clock = options.clock ?? Date.now;
  }

  registrationChanged(change: RegistrationChange, committedAt: string, live: boolean): void {
    if (!live) return;
    const { registrationId, eventId, ticketTypeId, status, quantity, amount, currency } = change;
    this.broadcast(
      change.userId,
      'registration.updated',
      { registrationId, eventId, ticketTypeId, status, quantity, amount, currency },
      committedAt,
    );
  }

  paymentChanged(type: string, data: PaymentEvent, committedAt: string, live: boolean): void {
    const status = paymentStatusOf(type, data);
    const userId = this.options.ledger.userOf(data.registrationId);
    if (!live || !status || !userId) return;
    const { paymentId, registrationId, eventId, amount, currency } = data;
    const refundedTotal = 'refundedTotal' in data ? data.refundedTotal : undefined;
    this.broadcast(
      userId,
      'payment.updated',
      { paymentId, registrationId, eventId, status, amount, currency, refundedTotal },
      committedAt,
    );
  }

  forget(userId: string): void {
    this.options.versions.forget(channelOf.user(userId));
  }

  private broadcast(userId: string, type: string, data: unknown, committedAt: string): void {
    const channel = channelOf.user(userId);
    if (!this.options.hub.has(channel)) return;
    const version = this.options.versions.next(channel, this.clock());
    this.options.hub.broadcast({ channel, type, data, version }, committedAt);
  }
}
