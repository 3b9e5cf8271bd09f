import type {
  AvailabilityChanged,
  CloudEvent,
  EventDeleted,
  EventState,
  PaymentSucceeded,
  TicketCheckedIn,
  TicketTypeState,
  TopicName,
} from '@echoplex/contracts';
import type { EventChannelFeed } from '../feeds/event-channel.feed';
import type { OrganizerChannelFeed } from '../feeds/organizer-channel.feed';
import type { UserChannelFeed } from '../feeds/user-channel.feed';
import type { SalesLedger } from '../model/sales-ledger';
import type { DomainEventHandler } from './topic-follower';

export interface RealtimeFeeds {
  ledger: SalesLedger;
  eventFeed: EventChannelFeed;
  organizerFeed: OrganizerChannelFeed;
  userFeed: UserChannelFeed;
}

/** Which topic feeds which channel. */
export function realtimeHandlers(feeds: RealtimeFeeds): Partial<Record<TopicName, DomainEventHandler>> {
  const { ledger, eventFeed, organizerFeed, userFeed } = feeds;
  return {
    'ticketing.availability.v1': (event: CloudEvent<AvailabilityChanged>) =>
      eventFeed.availabilityChanged(event.data, event.time),
    'ticketing.ticket-type.v1': (event: CloudEvent<TicketTypeState>) =>
      eventFeed.ticketTypeChanged(event.type, event.data, event.time),
    'events.event.v1': (event: CloudEvent<EventState | EventDeleted>) =>
      eventFeed.eventChanged(event.type, event.data, event.time),
    'ticketing.registration.v1': (event: CloudEvent<any>, live) => {
      if (event.type === 'ticket.checked_in') {
        const data = event.data as TicketCheckedIn;
        if (ledger.applyCheckIn(data)) organizerFeed.checkedIn(data, event.time, live);
        return;
      }
      const change = ledger.applyRegistration(event.type, event.data);
      if (!change) return;
      organizerFeed.registrationChanged(change, event.time, live);
      userFeed.registrationChanged(change, event.time, live);
    },
    'payments.payment.v1': (event: CloudEvent<PaymentSucceeded>, live) =>
      userFeed.paymentChanged(event.type, event.data, event.time, live),
  };
}
