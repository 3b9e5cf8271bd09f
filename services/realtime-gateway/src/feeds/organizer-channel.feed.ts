import type { TicketCheckedIn } from '@echoplex/contracts';
import { channelOf } from '../model/channel';
import type { ChannelVersions } from '../model/channel-versions';
import { Coalescer, realScheduler, type Scheduler } from '../model/coalescer';
import type { RegistrationChange, SalesLedger } from '../model/sales-ledger';
import type { ChannelHub, ChannelMessage } from '../socket/channel-hub';

/** The running totals are the one coalesced message of an organizer channel. */
const salesKey = 'sales';

export interface OrganizerChannelFeedOptions {
  ledger: SalesLedger;
  hub: ChannelHub;
  versions: ChannelVersions;
  coalesceMs: number;
  scheduler?: Scheduler;
}

/**
 * `organizer:<eventId>`: every registration change and check-in as it happens, and the running
 * sales totals, coalesced per event (on sale day a registration arrives every few milliseconds).
 */
export class OrganizerChannelFeed {
  private readonly sales: Coalescer<string, string>;

  constructor(private readonly options: OrganizerChannelFeedOptions) {
    this.sales = new Coalescer(
      options.coalesceMs,
      (eventId, committedAt) => this.broadcast(eventId, 'sales', options.ledger.totals(eventId), committedAt, salesKey),
      options.scheduler ?? realScheduler,
      (eventId) => options.hub.readyFor(channelOf.organizer(eventId), salesKey),
    );
  }

  /** `live` is false for history replayed at start: it moves the totals but is not news. */
  registrationChanged(change: RegistrationChange, committedAt: string, live: boolean): void {
    if (!this.options.hub.has(channelOf.organizer(change.eventId))) return;
    if (live) {
      const { registrationId, status, ticketTypeId, quantity, amount, currency } = change;
      this.broadcast(
        change.eventId,
        'registration',
        { registrationId, status, ticketTypeId, quantity, amount, currency },
        committedAt,
      );
    }
    this.sales.offer(change.eventId, committedAt);
  }

  checkedIn(data: TicketCheckedIn, committedAt: string, live: boolean): void {
    if (!this.options.hub.has(channelOf.organizer(data.eventId))) return;
    if (live) {
      const { ticketId, registrationId, ticketTypeId, checkedInAt } = data;
      this.broadcast(data.eventId, 'checkin', { ticketId, registrationId, ticketTypeId, checkedInAt }, committedAt);
    }
    this.sales.offer(data.eventId, committedAt);
  }

  /** Sent right after subscribing: the totals so far. */
  totals(eventId: string): ChannelMessage {
    const channel = channelOf.organizer(eventId);
    return {
      channel,
      type: 'sales',
      data: this.options.ledger.totals(eventId),
      version: this.options.versions.current(channel, this.options.ledger.revision(eventId)),
    };
  }

  close(): void {
    this.sales.close();
  }

  private broadcast(eventId: string, type: string, data: unknown, committedAt: string, key?: string): void {
    const channel = channelOf.organizer(eventId);
    const version = this.options.versions.next(channel, this.options.ledger.revision(eventId));
    this.options.hub.broadcast({ channel, type, data, version }, committedAt, key);
  }
}
