export type TicketStatus = 'scheduled' | 'on_sale' | 'ended' | 'sold_out';

export interface SalesWindow {
  available: number;
  salesStart: number | null;
  salesEnd: number | null;
}

/** The ticket type's status as the ticketing API reports it, from its seats and its sales window. */
export function ticketStatus(ticketType: SalesWindow, nowMs: number): TicketStatus {
  if (ticketType.available === 0) return 'sold_out';
  if (ticketType.salesEnd !== null && nowMs >= ticketType.salesEnd) return 'ended';
  if (ticketType.salesStart !== null && nowMs < ticketType.salesStart) return 'scheduled';
  return 'on_sale';
}
