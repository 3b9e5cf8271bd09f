import type { BusTables } from '@echoplex/bus';
import type { ColumnType, Generated } from '@echoplex/db';

export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';

export interface EventsTable {
  eventId: string;
  organizerId: string;
  name: string;
  status: 'draft' | 'published' | 'cancelled' | 'deleted';
  capacity: number;
  startTime: Date | null;
  endTime: Date | null;
  firstSeenAt: Date;
  versionAt: Date;
}

export interface TicketTypesTable {
  ticketTypeId: string;
  eventId: string;
  name: string;
  price: number;
  currency: string;
  quantity: number;
  deleted: Generated<boolean>;
  versionAt: Date;
}

export interface RegistrationsTable {
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
  netRevenue: Generated<number>;
}

export interface PaymentsTable {
  paymentId: string;
  registrationId: string;
  eventId: string;
  amount: number | null;
  currency: string | null;
  succeededAt: Date | null;
  refundedTotal: Generated<number>;
}

export interface RefundsTable {
  refundId: string;
  paymentId: string;
  registrationId: string;
  eventId: string;
  amount: number;
  currency: string;
  refundedAt: Date;
}

export interface CheckInsTable {
  ticketId: string;
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  checkedInAt: Date;
}

export interface VisitorsTable {
  eventId: string;
  sessionId: string;
  firstSeenAt: Date;
}

type Counter = ColumnType<number, number | undefined, number>;

export interface EventStatsTable {
  eventId: string;
  shard: number;
  pending: Counter;
  confirmed: Counter;
  cancelled: Counter;
  expired: Counter;
  ticketsSold: Counter;
  gross: Counter;
  refunded: Counter;
  currency: string | null;
  checkIns: Counter;
  pageViews: Counter;
  uniqueVisitors: Counter;
  asOf: Date;
}

export interface TicketTypeStatsTable {
  eventId: string;
  ticketTypeId: string;
  shard: number;
  sold: Counter;
  revenue: Counter;
}

export interface BucketStatsTable {
  eventId: string;
  bucket: Date;
  shard: number;
  registrations: Counter;
  revenue: Counter;
  pageViews: Counter;
  checkIns: Counter;
}

export interface AnalyticsDb extends BusTables {
  events: EventsTable;
  ticketTypes: TicketTypesTable;
  registrations: RegistrationsTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  checkIns: CheckInsTable;
  visitors: VisitorsTable;
  eventStats: EventStatsTable;
  ticketTypeStats: TicketTypeStatsTable;
  eventStatsHourly: BucketStatsTable;
  eventStatsDaily: BucketStatsTable;
}
