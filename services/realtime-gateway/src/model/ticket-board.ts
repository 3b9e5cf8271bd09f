import type { AvailabilityChanged, TicketTypeState } from '@echoplex/contracts';
import { type TicketStatus, ticketStatus } from './ticket-status';

/** What clients have been told about a ticket type: snapshots are built from this, never ahead of it. */
export interface ShownAvailability {
  available: number;
  quantity: number;
  status: TicketStatus;
  version: number;
}

export interface AvailabilityView {
  ticketTypeId: string;
  available: number;
  status: TicketStatus;
  version: number;
  removed?: true;
}

interface TicketTypeEntry {
  ticketTypeId: string;
  eventId: string;
  salesStart: number | null;
  salesEnd: number | null;
  removed: boolean;
  /** The newest availability consumed; -1 until the first one arrives. */
  latest: { available: number; quantity: number; version: number };
  shown?: ShownAvailability;
}

/**
 * Seats per ticket type, kept in memory and rebuilt on start from the compacted availability topic.
 * Availability carries ticketing's version, so applying an older or repeated update is a no-op:
 * redelivery and replay need no inbox.
 */
export class TicketBoard {
  private readonly types = new Map<string, TicketTypeEntry>();
  private readonly byEvent = new Map<string, Set<TicketTypeEntry>>();

  /** True when the update is newer than what the board holds. */
  applyAvailability(change: AvailabilityChanged): boolean {
    const entry = this.entry(change.ticketTypeId, change.eventId);
    if (change.version <= entry.latest.version) return false;
    entry.latest = { available: change.available, quantity: change.quantity, version: change.version };
    return true;
  }

  applyTicketType(state: TicketTypeState): void {
    const entry = this.entry(state.ticketTypeId, state.eventId);
    entry.salesStart = state.salesStart === null ? null : Date.parse(state.salesStart);
    entry.salesEnd = state.salesEnd === null ? null : Date.parse(state.salesEnd);
    entry.removed = false;
  }

  /** Returns the view to announce, if the ticket type was shown before. */
  removeTicketType(ticketTypeId: string): AvailabilityView | undefined {
    const entry = this.types.get(ticketTypeId);
    if (!entry || entry.removed) return undefined;
    entry.removed = true;
    if (!entry.shown) return undefined;
    return { ticketTypeId, available: 0, status: 'ended', version: entry.shown.version, removed: true };
  }

  eventOf(ticketTypeId: string): string | undefined {
    return this.types.get(ticketTypeId)?.eventId;
  }

  /** Makes the latest availability the shown one; undefined when nothing changed for clients. */
  show(ticketTypeId: string, nowMs: number): AvailabilityView | undefined {
    const entry = this.types.get(ticketTypeId);
    if (!entry || entry.removed || entry.latest.version < 0) return undefined;
    const status = ticketStatus({ ...entry, available: entry.latest.available }, nowMs);
    const shown = entry.shown;
    if (shown && shown.version === entry.latest.version && shown.status === status) return undefined;
    entry.shown = { ...entry.latest, status };
    return { ticketTypeId, available: entry.shown.available, status, version: entry.shown.version };
  }

  /** Ticket types of the event whose shown status the clock has changed (a sales window opened or closed). */
  restatus(eventId: string, nowMs: number): AvailabilityView[] {
    const views: AvailabilityView[] = [];
    for (const entry of this.byEvent.get(eventId) ?? []) {
      if (entry.removed || !entry.shown) continue;
      const status = ticketStatus({ ...entry, available: entry.shown.available }, nowMs);
      if (status === entry.shown.status) continue;
      entry.shown = { ...entry.shown, status };
      views.push({ ticketTypeId: entry.ticketTypeId, ...entry.shown });
    }
    return views;
  }

  shownOf(eventId: string): (ShownAvailability & { ticketTypeId: string })[] {
    const shown: (ShownAvailability & { ticketTypeId: string })[] = [];
    for (const entry of this.byEvent.get(eventId) ?? []) {
      if (!entry.removed && entry.shown) shown.push({ ticketTypeId: entry.ticketTypeId, ...entry.shown });
    }
    return shown;
  }

  /**
   * Grows with every change shown for the event and is the same on every instance that has shown
   * the same versions. Removed ticket types still count, so removing one never lowers it.
   */
  versionFloor(eventId: string): number {
    let floor = 0;
    for (const entry of this.byEvent.get(eventId) ?? []) {
      if (entry.shown) floor += entry.shown.version + 1;
    }
    return floor;
  }

  private entry(ticketTypeId: string, eventId: string): TicketTypeEntry {
    let entry = this.types.get(ticketTypeId);
    if (!entry) {
      entry = {
        ticketTypeId,
        eventId,
        salesStart: null,
        salesEnd: null,
        removed: false,
        latest: { available: 0, quantity: 0, version: -1 },
      };
      this.types.set(ticketTypeId, entry);
      let siblings = this.byEvent.get(eventId);
      if (!siblings) {
        siblings = new Set();
        this.byEvent.set(eventId, siblings);
      }
      siblings.add(entry);
    }
    return entry;
  }
}

/**
 * Seats left for the whole event from what is shown per ticket type. Each type's `available` is
 * already capped by the event's remaining capacity (min(type remaining, event remaining)), so:
 * when some type is capped, the event has exactly the largest `available` left; when none is,
 * capacity minus what every type has sold is exact. The larger of the two is the right one, and
 * the event can never offer more than the types together.
 */
export function eventAvailable(capacity: number, shown: readonly { available: number; quantity: number }[]): number {
  if (shown.length === 0) return 0;
  let sum = 0;
  let largest = 0;
  let sold = 0;
  for (const type of shown) {
    sum += type.available;
    largest = Math.max(largest, type.available);
    sold += type.quantity - type.available;
  }
  return Math.max(0, Math.min(sum, Math.max(largest, capacity - sold)));
}

export function isSoldOut(shown: readonly { available: number }[]): boolean {
  return shown.length > 0 && shown.every((type) => type.available === 0);
}
