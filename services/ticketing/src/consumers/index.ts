import { type Subscription, startConsumer, type Transport } from '@echoplex/bus';
import type { TicketingContext } from '../ticketing-context';
import { eventCancelledConsumer } from './events.event-cancelled.consumer';
import { eventChangedConsumer } from './events.event-changed.consumer';
import { eventDeletedConsumer } from './events.event-deleted.consumer';
import { userRegisteredConsumer, userUpdatedConsumer } from './identity.user.consumer';
import { paymentRefundedConsumer } from './payments.payment-refunded.consumer';
import { paymentSucceededConsumer } from './payments.payment-succeeded.consumer';
import { registrationConfirmedConsumer } from './ticketing.registration-confirmed.consumer';

/**
 * Every topic the service learns from, in one consumer group. From the beginning: a new deployment
 * builds its read model of events from the whole history; afterwards the group's offsets and the
 * inbox make each event count once.
 */
export function startTicketingConsumers(
  ctx: TicketingContext,
  options: { transport: Transport; group: string },
): Promise<Subscription> {
  const eventChanged = eventChangedConsumer(ctx);
  return startConsumer({
    transport: options.transport,
    kysely: ctx.db,
    group: options.group,
    fromBeginning: true,
    log: ctx.log,
    // Committed: this instance's cache learns at once; the others from the commit's NOTIFY.
    onProcessed: (event, outcome) => {
      ctx.paidSeats.settled(event.id, outcome);
      const eventId = (event.data as { eventId?: unknown } | undefined)?.eventId;
      if (typeof eventId === 'string') ctx.availability.invalidate(eventId);
    },
    handlers: {
      'events.event.v1': {
        'event.created': eventChanged,
        'event.updated': eventChanged,
        'event.published': eventChanged,
        'event.unpublished': eventChanged,
        'event.cancelled': eventCancelledConsumer(ctx),
        'event.deleted': eventDeletedConsumer(ctx),
      },
      'payments.payment.v1': {
        'payment.succeeded': paymentSucceededConsumer(ctx),
        'payment.refunded': paymentRefundedConsumer(ctx),
      },
      'identity.user.v1': {
        'user.registered': userRegisteredConsumer(ctx),
        'user.updated': userUpdatedConsumer(ctx),
      },
    },
  });
}

/**
 * Confirmation mail, in a group of its own: it reads the service's own topic, so it runs only after
 * a confirmation committed, and its retries while an attendee's address is still on its way from
 * identity.user.v1 hold up none of the topics the main group reads (that address among them).
 */
export function startConfirmationMailConsumer(
  ctx: TicketingContext,
  options: { transport: Transport; group: string },
): Promise<Subscription> {
  return startConsumer({
    transport: options.transport,
    kysely: ctx.db,
    group: `${options.group}.confirmation-mail`,
    fromBeginning: true,
    log: ctx.log,
    // About 25 s in all, within a Kafka session: long enough for identity's event to arrive.
    maxAttempts: 8,
    retryDelayMs: 200,
    handlers: {
      'ticketing.registration.v1': { 'registration.confirmed': registrationConfirmedConsumer(ctx) },
    },
  });
}
