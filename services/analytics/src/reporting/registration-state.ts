import type { RegistrationStatus } from '../db/schema';
import { emptyDelta, type StatsDelta } from './stats-delta';

/**
 * Ties between facts of the same instant resolve towards the later lifecycle step: a registration
 * confirmed and cancelled in the same millisecond ends cancelled.
 */
export const statusRank: Record<RegistrationStatus, number> = { pending: 0, confirmed: 1, expired: 2, cancelled: 3 };

export interface RegistrationFact {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  userId: string;
  quantity: number;
  amount: number;
  currency: string;
  status: RegistrationStatus;
  occurredAt: Date;
}

/** A registration as stored: what is known so far, which may be only its payments. */
export interface RegistrationState {
  registrationId: string;
  eventId: string;
  ticketTypeId: string | null;
  userId: string | null;
  quantity: number | null;
  amount: number | null;
  currency: string | null;
  status: RegistrationStatus | null;
  statusAt: Date | null;
  statusRank: number | null;
  registeredAt: Date | null;
  netRevenue: number;
}

/**
 * The state after learning one more fact, whatever order facts arrive in: the status is the one of
 * the latest fact by `occurredAt` (then by lifecycle rank), so a late `confirmed` never undoes an
 * earlier-delivered `cancelled` that happened after it, and applying a fact twice changes nothing.
 */
export function applyRegistrationFact(state: RegistrationState, fact: RegistrationFact): RegistrationState {
  const rank = statusRank[fact.status];
  const newer =
    state.status === null ||
    state.statusAt === null ||
    fact.occurredAt.getTime() > state.statusAt.getTime() ||
    (fact.occurredAt.getTime() === state.statusAt.getTime() && rank > (state.statusRank ?? -1));
  return {
    ...state,
    ticketTypeId: fact.ticketTypeId,
    userId: fact.userId,
    quantity: fact.quantity,
    amount: fact.amount,
    currency: fact.currency,
    registeredAt:
      state.registeredAt && state.registeredAt.getTime() <= fact.occurredAt.getTime()
        ? state.registeredAt
        : fact.occurredAt,
    ...(newer ? { status: fact.status, statusAt: fact.occurredAt, statusRank: rank } : {}),
  };
}

/**
 * What one registration adds to its event's figures. Seats sold and the registrations time series
 * count confirmed registrations (bucketed by when they were confirmed); revenue per ticket type is
 * the registration's net payments once its ticket type is known.
 */
export function registrationContribution(state: RegistrationState): StatsDelta {
  const delta = emptyDelta(state.eventId, state.statusAt ?? new Date(0), state.currency);
  if (state.status) delta.counters[state.status] = 1;
  const sold = state.status === 'confirmed' ? (state.quantity ?? 0) : 0;
  if (sold) delta.counters.ticketsSold = sold;
  if (state.ticketTypeId && (sold || state.netRevenue)) {
    delta.ticketTypes.push({ ticketTypeId: state.ticketTypeId, sold, revenue: state.netRevenue });
  }
  if (state.status === 'confirmed' && state.statusAt) {
    delta.buckets.push({ at: state.statusAt, metric: 'registrations', value: 1 });
  }
  return delta;
}
