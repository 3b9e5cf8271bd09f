import { type Handlers, type Subscription, startConsumer, type Transport } from '@echoplex/bus';
import type { CloudEvent, PaymentRefunded, TicketCheckedIn } from '@echoplex/contracts';
import type { Kysely, Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { checkIns } from '../repositories/check-in.repository';
import { insertFacts } from '../repositories/new-facts';
import { lockPayments, type PaymentMention, savePayments } from '../repositories/payment.repository';
import { refunds } from '../repositories/refund.repository';
import {
  lockRegistrations,
  type RegistrationMention,
  saveRegistrations,
} from '../repositories/registration.repository';
import { applyPendingStatsDeltas, type CounterTarget } from '../repositories/stats.repository';
import { visitors } from '../repositories/visitor.repository';
import { recordEventChanged, recordEventDeleted } from './event-changed.consumer';
import { type PageViewEvent, recordPageView, recordPageViews, visitorsIn } from './page-view-recorded.consumer';
import { recordPaymentRefunded } from './payment-refunded.consumer';
import { recordPaymentSucceeded } from './payment-succeeded.consumer';
import { recordRegistrationChanged } from './registration-changed.consumer';
import { recordTicketCheckedIn } from './ticket-checked-in.consumer';
import { recordTicketTypeChanged, recordTicketTypeDeleted } from './ticket-type-changed.consumer';

/** The live consumer group; its name is also its key in the inbox (the rebuild relies on that). */
export const reportingGroup = 'analytics.reporting';

/** Every topic the reporting tables are fed from, written into the target's schema and counter shard. */
export function reportingHandlers(target: CounterTarget): Handlers {
  const typed =
    <T>(handler: (event: CloudEvent<T>, trx: Transaction<AnalyticsDb>) => Promise<void>) =>
    (event: CloudEvent<T>, trx: Transaction<any>) =>
      handler(event, trx as Transaction<AnalyticsDb>);
  return {
    'events.event.v1': {
      'event.created': typed(recordEventChanged),
      'event.updated': typed(recordEventChanged),
      'event.published': typed(recordEventChanged),
      'event.unpublished': typed(recordEventChanged),
      'event.cancelled': typed(recordEventChanged),
      'event.deleted': typed(recordEventDeleted),
    },
    'ticketing.ticket-type.v1': {
      'ticket_type.created': typed(recordTicketTypeChanged),
      'ticket_type.updated': typed(recordTicketTypeChanged),
      'ticket_type.deleted': typed(recordTicketTypeDeleted),
    },
    'ticketing.registration.v1': {
      'registration.held': typed(recordRegistrationChanged(target, 'pending')),
      'registration.confirmed': typed(recordRegistrationChanged(target, 'confirmed')),
      'registration.cancelled': typed(recordRegistrationChanged(target, 'cancelled')),
      'registration.expired': typed(recordRegistrationChanged(target, 'expired')),
      'ticket.checked_in': typed(recordTicketCheckedIn(target)),
    },
    'payments.payment.v1': {
      'payment.succeeded': typed(recordPaymentSucceeded(target)),
      'payment.refunded': typed(recordPaymentRefunded(target)),
    },
    'analytics.page-view.v1': {
      'page_view.recorded': typed(recordPageView(target)),
      'page_views.recorded': typed(recordPageViews(target)),
    },
  };
}

/** The event types whose handlers read and change a registration row (see registrationOf). */
const registrationFacts = [
  'registration.held',
  'registration.confirmed',
  'registration.cancelled',
  'registration.expired',
  'payment.succeeded',
  'payment.refunded',
];

/**
 * The consumer's `beforeBatch`: the facts of the transaction's events inserted (which tells the
 * handlers which of them are new) and the rows the handlers will change locked, one statement per
 * table. Every transaction goes through the tables in this order, each in key order, so concurrent
 * members never wait for each other in a cycle.
 */
async function prepareWorkingSet(events: CloudEvent[], trx: Transaction<any>): Promise<void> {
  const db = trx as Transaction<AnalyticsDb>;
  const ofTypes = (types: string[]) => events.filter((event) => types.includes(event.type));
  const dataOf = <T>(types: string[]) => ofTypes(types).map((event) => event.data as T);
  await insertFacts(db, refunds, dataOf<PaymentRefunded>(['payment.refunded']));
  await insertFacts(db, checkIns, dataOf<TicketCheckedIn>(['ticket.checked_in']));
  const pageViews = ofTypes(['page_view.recorded', 'page_views.recorded']) as PageViewEvent[];
  await insertFacts(db, visitors, visitorsIn(pageViews));
  await lockPayments(db, dataOf<PaymentMention>(['payment.succeeded', 'payment.refunded']));
  await lockRegistrations(db, dataOf<RegistrationMention>(registrationFacts));
}

/** The consumer's `beforeCommit`: the payments and registrations, then the counters the handlers changed. */
async function saveWorkingSet(trx: Transaction<any>): Promise<void> {
  await savePayments(trx as Transaction<AnalyticsDb>);
  await saveRegistrations(trx as Transaction<AnalyticsDb>);
  await applyPendingStatsDeltas(trx);
}

export interface ReportingConsumerOptions {
  transport: Transport;
  /** Scoped to `schema`: the inbox lives beside the tables it guards. */
  kysely: Kysely<any>;
  schema: string;
  group: string;
  /**
   * Members of the group in this process. Each fetched batch is one transaction (see
   * `batchSize`); members work on different partitions concurrently. Each member writes its own
   * counter shard, so members never wait for each other's row locks.
   */
  members: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onProcessed?(event: CloudEvent, outcome: 'handled' | 'duplicate' | 'dead-lettered'): void;
}

/**
 * Events per transaction: the commit's WAL flush and the counter updates are shared by the batch.
 * Each member may hold a pooled connection per partition for a whole batch, so larger batches gain
 * little and keep other queries (the routes, a rebuild) waiting for a connection longer.
 */
const batchSize = 100;

export async function startReportingConsumers(options: ReportingConsumerOptions): Promise<Subscription> {
  const subscriptions = await Promise.all(
    Array.from({ length: options.members }, (_, shard) =>
      startConsumer({
        transport: options.transport,
        kysely: options.kysely,
        group: options.group,
        handlers: reportingHandlers({ schema: options.schema, shard }),
        batch: { maxEvents: batchSize },
        // The handlers work on facts inserted and rows read once per batch and defer their writes
        // and counter deltas; merged, they are written once per batch.
        beforeBatch: prepareWorkingSet,
        beforeCommit: saveWorkingSet,
        // A new group (a fresh deployment or a rebuild) reads the whole history; retention is infinite.
        fromBeginning: true,
        log: options.log,
        onProcessed: options.onProcessed,
      }),
    ),
  );
  return {
    async stop() {
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    },
  };
}
