import type { AvailabilityChanged, EventDeleted, EventState, TicketTypeState } from '@echoplex/contracts';
import { type Channel, channelOf } from '../model/channel';
import { mayListen } from '../model/channel-access';
import type { ChannelVersions } from '../model/channel-versions';
import { Coalescer, realScheduler, type Scheduler } from '../model/coalescer';
import type { EventDirectory, EventFacts } from '../model/event-directory';
import { type AvailabilityView, eventAvailable, isSoldOut, type TicketBoard } from '../model/ticket-board';
import type { ChannelHub, ChannelMessage } from '../socket/channel-hub';
import { errorFrame } from '../socket/client-protocol';

export interface EventChannelFeedOptions {
  board: TicketBoard;
  directory: EventDirectory;
  hub: ChannelHub;
  versions: ChannelVersions;
  coalesceMs: number;
  scheduler?: Scheduler;
  clock?: () => number;
}

/**
 * `event:<eventId>`: availability per ticket type, coalesced per ticket type while clients listen,
 * the event's status and sold-out flag, and its edits. A snapshot is built from what was already
 * shown, so every message after it is numbered above it.
 */
export class EventChannelFeed {
  private readonly coalescer: Coalescer<string, string>;
  private readonly clock: () => number;

  constructor(private readonly options: EventChannelFeedOptions) {
    this.clock = options.clock ?? Date.now;
    this.coalescer = new Coalescer(
      options.coalesceMs,
      (ticketTypeId, committedAt) => this.showAvailability(ticketTypeId, committedAt),
      options.scheduler ?? realScheduler,
      (ticketTypeId) => {
        const eventId = options.board.eventOf(ticketTypeId);
        return !eventId || options.hub.readyFor(channelOf.event(eventId), ticketTypeId);
      },
    );
  }

  availabilityChanged(change: AvailabilityChanged, committedAt: string): void {
    const { board, hub } = this.options;
    if (!board.applyAvailability(change)) return;
    // Nobody listens: show at once, so a later subscriber's snapshot is current.
    if (!hub.has(channelOf.event(change.eventId))) board.show(change.ticketTypeId, this.clock());
    else this.coalescer.offer(change.ticketTypeId, committedAt);
  }

  ticketTypeChanged(type: string, data: TicketTypeState | { eventId: string; ticketTypeId: string }, at: string): void {
    const { board } = this.options;
    if (type === 'ticket_type.deleted' || !('salesStart' in data)) {
      const wasSoldOut = isSoldOut(board.shownOf(data.eventId));
      const removed = board.removeTicketType(data.ticketTypeId);
      if (removed) this.announce(data.eventId, removed, at, wasSoldOut);
      return;
    }
    board.applyTicketType(data);
    for (const view of board.restatus(data.eventId, this.clock())) this.announce(data.eventId, view, at);
  }

  eventChanged(type: string, data: EventState | EventDeleted, committedAt: string): void {
    const { directory, hub } = this.options;
    const change = directory.apply(type, data);
    const channel = channelOf.event(change.event.eventId);
    if (change.kind === 'created' || !hub.has(channel)) return;
    if (change.kind === 'status') {
      this.dismissRefused(change.event);
      this.broadcast(channel, 'event.status', this.statusOf(change.event), committedAt);
      return;
    }
    const { eventId, name, startTime, endTime, capacity, city, categories, status } = change.event;
    const available = eventAvailable(capacity, this.options.board.shownOf(eventId));
    this.broadcast(
      channel,
      'event.updated',
      { eventId, name, startTime, endTime, capacity, city, categories, status, available },
      committedAt,
    );
  }

  snapshot(eventId: string): ChannelMessage {
    const { board, directory, versions } = this.options;
    const channel = channelOf.event(eventId);
    const event = directory.get(eventId);
    const shown = board.shownOf(eventId);
    const capacity = event?.capacity ?? 0;
    return {
      channel,
      type: 'snapshot',
      data: {
        eventId,
        status: event?.status ?? 'draft',
        capacity,
        available: eventAvailable(capacity, shown),
        soldOut: isSoldOut(shown),
        ticketTypes: shown.map(({ ticketTypeId, available, status, version }) => ({
          id: ticketTypeId,
          available,
          status,
          version,
        })),
      },
      version: versions.current(channel, this.floor(eventId)),
    };
  }

  /** Sales windows open and close with time, not with a message: re-check the watched events. */
  tick(): void {
    const now = this.clock();
    for (const channel of [...this.options.hub.channelNames()]) {
      if (!channel.startsWith('event:')) continue;
      const eventId = channel.slice('event:'.length);
      for (const view of this.options.board.restatus(eventId, now)) this.announce(eventId, view);
    }
  }

  close(): void {
    this.coalescer.close();
  }

  private showAvailability(ticketTypeId: string, committedAt: string): void {
    const { board } = this.options;
    const eventId = board.eventOf(ticketTypeId);
    if (!eventId) return;
    const wasSoldOut = isSoldOut(board.shownOf(eventId));
    const view = board.show(ticketTypeId, this.clock());
    if (view) this.announce(eventId, view, committedAt, wasSoldOut);
  }

  /**
   * An event moved back to draft (or deleted) is no longer public: subscribers who may not read it
   * now are told so and leave before the status goes out, so they learn nothing more about it.
   */
  private dismissRefused(event: EventFacts): void {
    const { hub, directory } = this.options;
    const channel: Channel = { name: channelOf.event(event.eventId), kind: 'event', id: event.eventId };
    const refused = hub.evict(channel.name, (client) => mayListen(channel, client.principal, directory));
    for (const client of refused) {
      hub.sendTo(client, errorFrame('forbidden', 'The event is no longer public.', channel.name));
    }
  }

  /** Pass `wasSoldOut` when seats changed: a flip of the event's sold-out flag is announced too. */
  private announce(eventId: string, view: AvailabilityView, committedAt?: string, wasSoldOut?: boolean): void {
    const channel = channelOf.event(eventId);
    const event = this.options.directory.get(eventId);
    const shown = this.options.board.shownOf(eventId);
    // Seats left for the whole event: clients cannot derive it from one ticket type's message.
    const eventAvailableNow = eventAvailable(event?.capacity ?? 0, shown);
    this.broadcast(
      channel,
      'availability',
      { ...view, eventAvailable: eventAvailableNow },
      committedAt,
      view.ticketTypeId,
    );
    if (wasSoldOut === undefined) return;
    if (event && isSoldOut(shown) !== wasSoldOut) {
      this.broadcast(channel, 'event.status', this.statusOf(event), committedAt);
    }
  }

  /** `key`: the ticket type whose availability the message shows (see ChannelHub.readyFor). */
  private broadcast(channel: string, type: string, data: unknown, committedAt?: string, key?: string): void {
    const eventId = channel.slice('event:'.length);
    const version = this.options.versions.next(channel, this.floor(eventId));
    this.options.hub.broadcast({ channel, type, data, version }, committedAt, key);
  }

  private statusOf(event: EventFacts): { status: string; soldOut: boolean } {
    return { status: event.status, soldOut: isSoldOut(this.options.board.shownOf(event.eventId)) };
  }

  private floor(eventId: string): number {
    return this.options.board.versionFloor(eventId) + (this.options.directory.get(eventId)?.revision ?? 0);
  }
}
