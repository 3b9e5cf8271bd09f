import type { RegistrationStatus } from '../db/schema';

export interface RefundPolicy {
  startTime: Date;
  /** The organizer's deadline; null: the event's start. */
  selfServiceRefundUntil: Date | null;
}

/** Until when an attendee may cancel a paid registration for a refund on their own. */
export function selfServiceRefundDeadline(event: RefundPolicy): Date {
  return event.selfServiceRefundUntil ?? event.startTime;
}

/**
 * Whether the attendee may cancel a registration themselves. A hold can always be let go, and a
 * free registration can be given back until it is used. A paid, confirmed one would be refunded,
 * so only before the deadline and only while no ticket of it was checked in: after the event or at
 * the door, only the organizer refunds. A used free ticket stays too, so attendance is not erased.
 */
export function selfServiceCancelRefusal(
  registration: { status: RegistrationStatus; amount: number },
  anyTicketCheckedIn: boolean,
  event: RefundPolicy,
  now: Date,
): 'refund_window_closed' | undefined {
  if (registration.status !== 'confirmed') return undefined;
  if (anyTicketCheckedIn) return 'refund_window_closed';
  if (registration.amount > 0 && now >= selfServiceRefundDeadline(event)) return 'refund_window_closed';
  return undefined;
}
