import type {
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationExpired,
  RegistrationHeld,
  TicketCheckedIn,
} from '@echoplex/contracts';

export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

type RegistrationEvent = RegistrationHeld | RegistrationConfirmed | RegistrationCancelled | RegistrationExpired;

const statusOfType: Record<string, RegistrationStatus> = {
  'registration.held': 'pending',
  'registration.confirmed': 'confirmed',
  'registration.cancelled': 'cancelled',
  'registration.expired': 'expired',
};

interface RegistrationEntry {
  eventId: string;
  ticketTypeId: string;
  userId: string;
  status: RegistrationStatus;
  quantity: number;
  amount: number;
}

interface TicketTypeSales {
  sold: number;
  revenue: number;
}

interface EventSales {
  eventId: string;
  currency: string | null;
  registrations: Record<RegistrationStatus, number>;
  ticketsSold: number;
  seatsHeld: number;
  revenue: number;
  checkIns: number;
  byTicketType: Map<string, TicketTypeSales>;
  checkedInTickets: Set<string>;
  /** Registration-topic messages consumed for the event: the organizer channel's version floor. */
  revision: number;
}

/** Running totals for the organizer channel. */
export interface SalesTotals {
  eventId: string;
  currency: string | null;
  registrations: Record<RegistrationStatus, number>;
  ticketsSold: number;
  seatsHeld: number;
  revenue: number;
  checkIns: number;
  byTicketType: { ticketTypeId: string; sold: number; revenue: number }[];
}

export interface RegistrationChange {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  userId: string;
  status: RegistrationStatus;
  quantity: number;
  amount: number;
  currency: string;
}

/**
 * Registrations by status and the sales totals derived from them, rebuilt on start by replaying
 * `ticketing.registration.v1`. Totals move by transitions of each registration's own status, so a
 * redelivered message (same status again) moves nothing, and a hold that expired and was then
 * re-reserved by a late payment counts exactly once.
 */
export class SalesLedger {
  private readonly registrations = new Map<string, RegistrationEntry>();
  private readonly events = new Map<string, EventSales>();

  /** The change to announce, or undefined when the message repeats what is known. */
  applyRegistration(type: string, data: RegistrationEvent): RegistrationChange | undefined {
    const status = statusOfType[type];
    const sales = this.sales(data.eventId);
    sales.revision++;
    if (!status) return undefined;
    sales.currency ??= data.currency;
    const previous = this.registrations.get(data.registrationId);
    if (previous?.status === status) return undefined;
    const entry: RegistrationEntry = {
      eventId: sales.eventId,
      ticketTypeId: this.ticketTypeKey(sales, data.ticketTypeId),
      userId: data.userId,
      status,
      quantity: data.quantity,
      amount: data.amount,
    };
    if (previous) this.count(sales, previous, -1);
    this.count(sales, entry, 1);
    this.registrations.set(data.registrationId, entry);
    return { registrationId: data.registrationId, ...entry, currency: data.currency };
  }

  /** True when the ticket was not checked in before. */
  applyCheckIn(data: TicketCheckedIn): boolean {
    const sales = this.sales(data.eventId);
    sales.revision++;
    if (sales.checkedInTickets.has(data.ticketId)) return false;
    sales.checkedInTickets.add(data.ticketId);
    sales.checkIns++;
    return true;
  }

  userOf(registrationId: string): string | undefined {
    return this.registrations.get(registrationId)?.userId;
  }

  revision(eventId: string): number {
    return this.events.get(eventId)?.revision ?? 0;
  }

  totals(eventId: string): SalesTotals {
    const sales = this.sales(eventId);
    return {
      eventId,
      currency: sales.currency,
      registrations: { ...sales.registrations },
      ticketsSold: sales.ticketsSold,
      seatsHeld: sales.seatsHeld,
      revenue: sales.revenue,
      checkIns: sales.checkIns,
      byTicketType: [...sales.byTicketType].map(([ticketTypeId, type]) => ({ ticketTypeId, ...type })),
    };
  }

  private count(sales: EventSales, entry: RegistrationEntry, sign: 1 | -1): void {
    sales.registrations[entry.status] += sign;
    if (entry.status === 'pending') sales.seatsHeld += sign * entry.quantity;
    if (entry.status !== 'confirmed') return;
    sales.ticketsSold += sign * entry.quantity;
    sales.revenue += sign * entry.amount;
    const type = sales.byTicketType.get(entry.ticketTypeId) ?? { sold: 0, revenue: 0 };
    type.sold += sign * entry.quantity;
    type.revenue += sign * entry.amount;
    sales.byTicketType.set(entry.ticketTypeId, type);
  }

  /** Shares one string per ticket type across the registrations held in memory. */
  private ticketTypeKey(sales: EventSales, ticketTypeId: string): string {
    for (const known of sales.byTicketType.keys()) if (known === ticketTypeId) return known;
    sales.byTicketType.set(ticketTypeId, { sold: 0, revenue: 0 });
    return ticketTypeId;
  }

  private sales(eventId: string): EventSales {
    let sales = this.events.get(eventId);
    if (!sales) {
      sales = {
        eventId,
        currency: null,
        registrations: { pending: 0, confirmed: 0, cancelled: 0, expired: 0 },
        ticketsSold: 0,
        seatsHeld: 0,
        revenue: 0,
        checkIns: 0,
        byTicketType: new Map(),
        checkedInTickets: new Set(),
        revision: 0,
      };
      this.events.set(eventId, sales);
    }
    return sales;
  }
}
