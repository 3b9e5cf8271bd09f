import type { RegistrationStatus } from '../api/types';
import type { ChannelMessage } from './realtime-client';

export interface SalesTotals {
  eventId: string;
  currency: string | null;
  registrations: { pending: number; confirmed: number; cancelled: number; expired: number };
  ticketsSold: number;
  seatsHeld?: number;
  revenue: number;
  checkIns: number;
  byTicketType: { ticketTypeId: string; sold: number; revenue: number }[];
}

export type SalesActivity =
  | {
      kind: 'registration';
      key: string;
      registrationId: string;
      status: RegistrationStatus;
      ticketTypeId: string;
      quantity: number;
      amount: number;
      currency?: string;
      at: number;
    }
  | { kind: 'checkin'; key: string; ticketId: string; registrationId: string; ticketTypeId: string; at: number };

export interface LiveSales {
  version: number;
  totals: SalesTotals | null;
  /** Tickets checked in since the last totals, so a counter can move before totals catch up. */
  checkInsSinceTotals: string[];
  activity: SalesActivity[];
}

export const initialSales: LiveSales = { version: -1, totals: null, checkInsSinceTotals: [], activity: [] };

const activityKept = 20;

/**
 * Folds `organizer:<eventId>` messages. The channel's versions only grow, so anything at or below
 * the last seen version is a repeat (a resubscription after a reconnect) and ignored. `sales` totals
 * are authoritative; single `checkin`s count on top of them until the next totals include them.
 */
export function salesReducer(state: LiveSales, message: ChannelMessage, now = Date.now()): LiveSales {
  // A (re)subscription starts a new numbering: after a reconnect another gateway instance may count lower.
  if (message.type === 'subscribed') return { ...state, version: -1 };
  if (message.version !== undefined && message.version <= state.version) return state;
  const version = message.version ?? state.version;
  switch (message.type) {
    case 'sales':
      return { ...state, version, totals: message.data as SalesTotals, checkInsSinceTotals: [] };
    case 'registration': {
      const data = message.data as Omit<Extract<SalesActivity, { kind: 'registration' }>, 'kind' | 'key' | 'at'>;
      const entry: SalesActivity = {
        kind: 'registration',
        key: `r${version}:${data.registrationId}`,
        ...data,
        at: now,
      };
      return { ...state, version, activity: [entry, ...state.activity].slice(0, activityKept) };
    }
    case 'checkin': {
      const data = message.data as { ticketId: string; registrationId: string; ticketTypeId: string };
      const entry: SalesActivity = { kind: 'checkin', key: `c${version}:${data.ticketId}`, ...data, at: now };
      const counted = state.checkInsSinceTotals.includes(data.ticketId);
      return {
        ...state,
        version,
        checkInsSinceTotals: counted ? state.checkInsSinceTotals : [...state.checkInsSinceTotals, data.ticketId],
        activity: [entry, ...state.activity].slice(0, activityKept),
      };
    }
    default:
      return { ...state, version };
  }
}

/** The live check-in count, or null before the first totals. */
export function liveCheckIns(state: LiveSales): number | null {
  return state.totals ? state.totals.checkIns + state.checkInsSinceTotals.length : null;
}
