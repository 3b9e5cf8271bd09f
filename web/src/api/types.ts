/** Shapes of the public contract (shared/API.md) the SPA reads and writes. */

export type Role = 'organizer' | 'attendee';

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  phone?: string;
  avatarUrl?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface SignedIn extends SessionTokens {
  user: User;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type EventStatus = 'draft' | 'published' | 'cancelled';

export interface EchoEvent {
  id: string;
  organizerId: string;
  name: string;
  description: string;
  startTime: string;
  endTime: string;
  timezone?: string;
  location: string;
  city?: string | null;
  country?: string | null;
  online: boolean;
  capacity: number;
  categories: string[];
  imageUrl?: string | null;
  status: EventStatus;
  soldOut: boolean;
  /** `selfServiceUntil`: until when attendees may cancel a paid registration for a refund. */
  refundPolicy?: { selfServiceUntil: string | null };
  maxTicketsPerAccount?: number | null;
  publishedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EventInput {
  name: string;
  description: string;
  startTime: string;
  endTime: string;
  location: string;
  city: string | null;
  country: string | null;
  online: boolean;
  capacity: number;
  categories: string[];
  /** `selfServiceUntil: null` keeps the default, the event's start. */
  refundPolicy?: { selfServiceUntil: string | null };
  /** null: no limit beyond each ticket type's maxPerOrder. */
  maxTicketsPerAccount?: number | null;
}

export type TicketTypeStatus = 'scheduled' | 'on_sale' | 'ended' | 'sold_out';

export interface TicketType {
  id: string;
  eventId: string;
  name: string;
  description?: string | null;
  price: number;
  currency: string;
  quantity: number;
  available: number;
  salesStart?: string | null;
  salesEnd?: string | null;
  minPerOrder: number;
  maxPerOrder: number;
  status: TicketTypeStatus;
}

export interface TicketTypeInput {
  name: string;
  description?: string | null;
  price: number;
  currency: string;
  quantity: number;
  salesStart?: string | null;
  salesEnd?: string | null;
  minPerOrder?: number;
  maxPerOrder?: number;
}

export interface Availability {
  eventId: string;
  capacity: number;
  available: number;
  soldOut: boolean;
  ticketTypes: { id: string; available: number; status: TicketTypeStatus }[];
  version: number;
}

export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

export interface Ticket {
  id: string;
  code: string;
  checkedInAt?: string | null;
}

export interface Registration {
  id: string;
  code: string;
  userId: string;
  eventId: string;
  ticketTypeId: string;
  quantity: number;
  status: RegistrationStatus;
  amount: number;
  currency: string;
  expiresAt?: string | null;
  refundRequested?: boolean;
  tickets: Ticket[];
  createdAt: string;
  updatedAt: string;
}

export interface AttendeeDetails {
  firstName: string;
  lastName: string;
  email: string;
}

export interface CheckInResult {
  ticket: Ticket;
  registration: Registration;
}

export interface PaymentsConfig {
  publishableKey: string;
  mode: 'stripe' | 'fake';
}

export interface PaymentIntent {
  paymentId: string;
  clientSecret: string;
  amount: number;
  currency: string;
  status: string;
}

export type TestPaymentMethod = 'pm_card_visa' | 'pm_card_chargeDeclined' | 'pm_card_chargeDeclinedInsufficientFunds';

export interface FakeConfirmation {
  paymentIntentId: string;
  status: string;
  error: { code: string; declineCode: string | null; message: string } | null;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  status: string;
}

export interface EventSummary {
  eventId: string;
  asOf: string;
  capacity: number;
  ticketsSold: number;
  utilization: number;
  registrations: { confirmed: number; pending: number; cancelled: number; expired: number };
  revenue: { gross: number; refunded: number; net: number; currency: string | null };
  byTicketType: { ticketTypeId: string; name: string | null; sold: number; revenue: number }[];
  pageViews: number;
  uniqueVisitors: number;
  conversionRate: number;
  checkIns: number;
}

export type TimeseriesMetric = 'registrations' | 'revenue' | 'pageViews' | 'checkIns';

export interface TimeseriesPoint {
  t: string;
  value: number;
}

export interface OrganizerOverview {
  asOf: string;
  eventCount: number;
  ticketsSold: number;
  revenue: { gross: number; refunded: number; net: number; currency: string | null };
  pageViews: number;
  checkIns: number;
  events: {
    eventId: string;
    name: string;
    status: string;
    capacity: number;
    ticketsSold: number;
    netRevenue: number;
    currency: string | null;
  }[];
}

export interface MailboxItem {
  to: string;
  subject: string;
  text: string;
  html?: string;
  sentAt: string;
}
