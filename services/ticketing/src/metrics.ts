import type { Kysely } from '@echoplex/db';
import { Counter, Gauge, type Registry } from '@echoplex/telemetry';
import type { TicketingDb } from './db/schema';

export interface TicketingMetrics {
  /** Counted once the seats' confirmation has committed; labelled free or paid only, to keep series few. */
  seatsSold: Counter<'ticket'>;
}

/**
 * Seats sold (counted by the instance that confirmed them: sum over instances), and active holds
 * (read from the database on scrape through the partial index of pending holds: every instance
 * reports the same figure, so take the max).
 */
export function registerTicketingMetrics(registry: Registry, db: Kysely<TicketingDb>): TicketingMetrics {
  new Gauge({
    name: 'echoplex_active_holds',
    help: 'Paid registrations holding seats until they are paid or expire',
    registers: [registry],
    async collect() {
      const pending = await db
        .selectFrom('registrations')
        .select((eb) => eb.fn.countAll<number>().as('holds'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      this.set(Number(pending?.holds ?? 0));
    },
  });
  return {
    seatsSold: new Counter({
      name: 'echoplex_seats_sold_total',
      help: 'Seats of confirmed registrations, counted when the confirmation commits',
      labelNames: ['ticket'],
      registers: [registry],
    }),
  };
}

/**
 * A paid registration is confirmed inside a consumer's transaction, which may still roll back and be
 * retried: its seats are noted per CloudEvent and counted only when the bus reports the event
 * handled (after commit). A retry overwrites the note, so no attempt counts twice.
 */
export class PaidSeatsTally {
  private readonly confirmedByEvent = new Map<string, number>();

  constructor(private readonly metrics: TicketingMetrics) {}

  confirmed(eventId: string, seats: number): void {
    this.confirmedByEvent.set(eventId, seats);
  }

  settled(eventId: string, outcome: 'handled' | 'duplicate' | 'dead-lettered'): void {
    const seats = this.confirmedByEvent.get(eventId) ?? 0;
    this.confirmedByEvent.delete(eventId);
    if (outcome === 'handled' && seats > 0) this.metrics.seatsSold.inc({ ticket: 'paid' }, seats);
  }
}
