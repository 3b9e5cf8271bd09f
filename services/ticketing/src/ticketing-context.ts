import type { Outbox } from '@echoplex/bus';
import type { Kysely, Transaction } from '@echoplex/db';
import type { Mailer } from '@echoplex/mailer';
import type { Logger, Registry } from '@echoplex/telemetry';
import type { TicketingDb } from './db/schema';
import type { HoldPolicy } from './domain/account-limits';
import { PaidSeatsTally, registerTicketingMetrics, type TicketingMetrics } from './metrics';
import type { AvailabilityCache } from './queries/availability-cache';
import { AccountHoldingsRepository } from './repositories/account-holdings.repository';
import { EventRepository } from './repositories/event.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { RegistrationRepository } from './repositories/registration.repository';
import { SeatLedger } from './repositories/seat-ledger.repository';
import { TicketTypeRepository } from './repositories/ticket-type.repository';
import { UserRepository } from './repositories/user.repository';

/** What the commands, queries and consumers of the service work with; built once per plugin. */
export interface TicketingContext {
  db: Kysely<TicketingDb>;
  outbox: Outbox;
  clock: () => Date;
  log: Logger;
  holdMinutes: number;
  holdPolicy: HoldPolicy;
  events: EventRepository;
  ticketTypes: TicketTypeRepository;
  registrations: RegistrationRepository;
  seats: SeatLedger;
  holdings: AccountHoldingsRepository;
  idempotency: IdempotencyRepository;
  users: UserRepository;
  availability: AvailabilityCache;
  mailer: Mailer;
  metrics: TicketingMetrics;
  paidSeats: PaidSeatsTally;
}

export function createTicketingContext(deps: {
  db: Kysely<TicketingDb>;
  outbox: Outbox;
  clock: () => Date;
  log: Logger;
  holdMinutes: number;
  holdPolicy: HoldPolicy;
  availability: AvailabilityCache;
  mailer: Mailer;
  registry: Registry;
}): TicketingContext {
  const { registry, ...rest } = deps;
  const metrics = registerTicketingMetrics(registry, deps.db);
  return {
    ...rest,
    metrics,
    paidSeats: new PaidSeatsTally(metrics),
    events: new EventRepository(deps.db),
    ticketTypes: new TicketTypeRepository(deps.db),
    registrations: new RegistrationRepository(deps.db),
    seats: new SeatLedger(),
    holdings: new AccountHoldingsRepository(),
    idempotency: new IdempotencyRepository(deps.db),
    users: new UserRepository(deps.db),
  };
}

/** Consumers receive the bus's transaction on the service's schema-scoped connection. */
export function asTicketingTransaction(trx: Transaction<any>): Transaction<TicketingDb> {
  return trx as Transaction<TicketingDb>;
}
