import type { EventStatus, TicketTypeStatus } from '../api/types';
import type { ChannelMessage } from './realtime-client';

export interface LiveTicketType {
  id: string;
  available: number;
  status: TicketTypeStatus;
  /** Ticketing's own version of this ticket type: the same on every gateway instance. */
  version: number;
  /** Deleted by the organizer: kept (not dropped) so an older message cannot bring it back. */
  removed?: boolean;
}

export interface LiveAvailability {
  /** The channel's version: every later message on the channel is above it. -1 before any. */
  channelVersion: number;
  /** True once a snapshot arrived: until then the page shows what it fetched over HTTP. */
  live: boolean;
  status?: EventStatus;
  soldOut?: boolean;
  capacity?: number;
  available?: number;
  ticketTypes: Record<string, LiveTicketType>;
}

export const initialAvailability: LiveAvailability = { channelVersion: -1, live: false, ticketTypes: {} };

interface SnapshotData {
  status?: EventStatus;
  capacity?: number;
  available?: number;
  soldOut?: boolean;
  ticketTypes: { id: string; available: number; status: TicketTypeStatus; version?: number }[];
}

interface AvailabilityData {
  ticketTypeId: string;
  available: number;
  status: TicketTypeStatus;
  version?: number;
  removed?: boolean;
}

/**
 * Folds `event:<id>` messages into the page's availability. Versions only grow: a snapshot replaces
 * the state but keeps any ticket type already held at a higher version (a freshly started gateway
 * may still be catching up after a reconnect); other messages at or below the current channel
 * version are stale and change nothing, and so is an `availability` older than the ticket type's.
 * (Protocol: services/realtime-gateway/README.md, "Versions".)
 */
export function availabilityReducer(state: LiveAvailability, message: ChannelMessage): LiveAvailability {
  if (message.type === 'snapshot') return applySnapshot(state, message.data as SnapshotData, message.version);
  if (message.version !== undefined && message.version <= state.channelVersion) return state;
  const channelVersion = message.version ?? state.channelVersion;
  switch (message.type) {
    case 'availability':
      return withSoldOut({ ...applyAvailability(state, message.data as AvailabilityData), channelVersion });
    case 'event.status': {
      const data = message.data as { status: EventStatus; soldOut: boolean };
      return { ...state, channelVersion, status: data.status, soldOut: data.soldOut };
    }
    case 'event.updated': {
      const data = message.data as { status?: EventStatus; capacity?: number };
      return {
        ...state,
        channelVersion,
        status: data.status ?? state.status,
        capacity: data.capacity ?? state.capacity,
      };
    }
    default:
      return state;
  }
}

/**
 * A snapshot always applies, even numbered below what came before: after a reconnect it may come
 * from another gateway instance, whose channel numbering is its own. Ticket types keep whichever of
 * old and new has the higher ticketing version.
 */
function applySnapshot(state: LiveAvailability, data: SnapshotData, version: number | undefined): LiveAvailability {
  const ticketTypes: Record<string, LiveTicketType> = {};
  for (const incoming of data.ticketTypes ?? []) {
    const held = state.ticketTypes[incoming.id];
    const next: LiveTicketType = {
      id: incoming.id,
      available: incoming.available,
      status: incoming.status,
      version: incoming.version ?? -1,
    };
    ticketTypes[incoming.id] = held && held.version > next.version ? held : next;
  }
  return {
    channelVersion: version ?? state.channelVersion,
    live: true,
    status: data.status ?? state.status,
    capacity: data.capacity ?? state.capacity,
    available: data.available ?? state.available,
    soldOut: data.soldOut ?? state.soldOut,
    ticketTypes,
  };
}

function applyAvailability(state: LiveAvailability, data: AvailabilityData): LiveAvailability {
  const held = state.ticketTypes[data.ticketTypeId];
  if (held && data.version !== undefined && data.version <= held.version) return state;
  const ticketTypes = { ...state.ticketTypes };
  ticketTypes[data.ticketTypeId] = {
    id: data.ticketTypeId,
    available: data.available,
    status: data.status,
    version: data.version ?? held?.version ?? -1,
    ...(data.removed ? { removed: true } : {}),
  };
  return { ...state, ticketTypes };
}

/** Sold out when every ticket type is at zero (the event's capacity cap is already inside `available`). */
function withSoldOut(state: LiveAvailability): LiveAvailability {
  const all = Object.values(state.ticketTypes).filter((ticketType) => !ticketType.removed);
  if (all.length === 0) return state;
  return { ...state, soldOut: all.every((ticketType) => ticketType.available <= 0) };
}
