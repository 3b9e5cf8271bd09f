import type { z } from 'zod';
import * as analytics from './events/analytics.page-view';
import * as events from './events/events.event';
import * as sessions from './events/identity.session';
import * as identity from './events/identity.user';
import * as payments from './events/payments.payment';
import * as ticketing from './events/ticketing';

/**
 * The topic registry: every topic, what its key is, and the schema of every event type on it.
 * Producers and consumers both import this, and the AsyncAPI document is generated from it.
 */
export const topics = {
  'identity.user.v1': {
    key: 'userId',
    description: 'Accounts as they are registered and updated. The only topic with personal data.',
    types: { 'user.registered': identity.UserRegistered, 'user.updated': identity.UserUpdated },
  },
  'identity.session.v1': {
    key: 'userId',
    // Every token verifier reads it from the beginning when it starts; an entry matters only while
    // the access tokens it covers live (15 min), so an hour of history is plenty.
    retentionMs: 3_600_000,
    description: 'Ended sessions, whose access tokens every verifier refuses from then on. Ids only.',
    types: { 'session.revoked': sessions.SessionRevoked },
  },
  'events.event.v1': {
    key: 'eventId',
    description: 'The lifecycle of every event.',
    types: {
      'event.created': events.EventCreated,
      'event.updated': events.EventUpdated,
      'event.published': events.EventPublished,
      'event.unpublished': events.EventUnpublished,
      'event.cancelled': events.EventCancelled,
      'event.deleted': events.EventDeleted,
    },
  },
  'ticketing.ticket-type.v1': {
    key: 'eventId',
    description: 'Ticket types of an event.',
    types: {
      'ticket_type.created': ticketing.TicketTypeCreated,
      'ticket_type.updated': ticketing.TicketTypeUpdated,
      'ticket_type.deleted': ticketing.TicketTypeDeleted,
    },
  },
  'ticketing.availability.v1': {
    key: 'ticketTypeId',
    compacted: true,
    description: 'Seats left per ticket type; compacted, so the latest value per ticket type survives.',
    types: { 'availability.changed': ticketing.AvailabilityChanged },
  },
  'ticketing.registration.v1': {
    key: 'eventId',
    description: 'Registrations and check-ins.',
    types: {
      'registration.held': ticketing.RegistrationHeld,
      'registration.confirmed': ticketing.RegistrationConfirmed,
      'registration.cancelled': ticketing.RegistrationCancelled,
      'registration.expired': ticketing.RegistrationExpired,
      'ticket.checked_in': ticketing.TicketCheckedIn,
    },
  },
  'payments.payment.v1': {
    key: 'registrationId',
    description: 'Payments and refunds.',
    types: {
      'payment.intent_created': payments.PaymentIntentCreated,
      'payment.succeeded': payments.PaymentSucceeded,
      'payment.failed': payments.PaymentFailed,
      'payment.refunded': payments.PaymentRefunded,
    },
  },
  'analytics.page-view.v1': {
    key: 'eventId',
    description: 'Page views of event pages.',
    types: { 'page_view.recorded': analytics.PageViewRecorded, 'page_views.recorded': analytics.PageViewsRecorded },
  },
} as const satisfies Record<string, TopicDefinition>;

export interface TopicDefinition {
  key: string;
  description: string;
  compacted?: boolean;
  /** How long messages are kept; without it, forever (analytics rebuilds from full history). */
  retentionMs?: number;
  types: Record<string, z.ZodType>;
}

export type Topics = typeof topics;
export type TopicName = keyof Topics;
export type EventType<T extends TopicName = TopicName> = T extends TopicName
  ? keyof Topics[T]['types'] & string
  : never;
export type EventData<T extends TopicName, E extends EventType<T>> = z.infer<Topics[T]['types'][E] & z.ZodType>;

export const topicNames = Object.keys(topics) as TopicName[];

export function topicOfType(type: string): TopicName | undefined {
  return topicNames.find((name) => type in topics[name].types);
}

/** Validates an event payload against its registered schema; throws a ZodError when it does not fit. */
export function parseEventData<T extends TopicName, E extends EventType<T>>(
  topic: T,
  type: E,
  data: unknown,
): EventData<T, E> {
  const schema = (topics[topic].types as Record<string, z.ZodType>)[type];
  if (!schema) throw new Error(`unknown event type ${type} on topic ${topic}`);
  return schema.parse(data) as EventData<T, E>;
}
