import { sql, type Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';

export interface RegistrationSeats {
  registrationId: string;
  eventId: string;
  quantity: number;
}

/**
 * Which registrations hold seats, per registration id, so a cancellation only gives back seats that
 * were counted and a repeated "held"/"confirmed" never counts twice. `events.seats_taken` is the sum,
 * kept in the same transaction.
 */
export class RegistrationSeatsRepository {
  /** Held or confirmed: the registration occupies its seats (again, after an expired hold was re-reserved). */
  async take(trx: Transaction<EventsDb>, registration: RegistrationSeats): Promise<void> {
    const previous = await this.lock(trx, registration.registrationId);
    const counted = previous?.holdsSeats ? previous.quantity : 0;
    await trx
      .insertInto('registrationSeats')
      .values({ ...seatsOf(registration), holdsSeats: true })
      .onConflict((oc) =>
        oc
          .column('registrationId')
          .doUpdateSet({ quantity: registration.quantity, holdsSeats: true, updatedAt: sql`now()` }),
      )
      .execute();
    await this.adjustEvent(trx, registration.eventId, registration.quantity - counted);
  }

  /** Cancelled or expired: gives back what was counted; an unseen registration is still remembered. */
  async release(trx: Transaction<EventsDb>, registration: RegistrationSeats): Promise<void> {
    const previous = await this.lock(trx, registration.registrationId);
    const counted = previous?.holdsSeats ? previous.quantity : 0;
    await trx
      .insertInto('registrationSeats')
      .values({ ...seatsOf(registration), holdsSeats: false })
      .onConflict((oc) => oc.column('registrationId').doUpdateSet({ holdsSeats: false, updatedAt: sql`now()` }))
      .execute();
    await this.adjustEvent(trx, registration.eventId, -counted);
  }

  async hasAny(trx: Transaction<EventsDb>, eventId: string): Promise<boolean> {
    const row = await trx
      .selectFrom('registrationSeats')
      .select('registrationId')
      .where('eventId', '=', eventId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  private lock(trx: Transaction<EventsDb>, registrationId: string) {
    return trx
      .selectFrom('registrationSeats')
      .select(['quantity', 'holdsSeats'])
      .where('registrationId', '=', registrationId)
      .forUpdate()
      .executeTakeFirst();
  }

  private async adjustEvent(trx: Transaction<EventsDb>, eventId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await trx
      .updateTable('events')
      .set((eb) => ({ seatsTaken: sql<number>`greatest(0, ${eb.ref('seatsTaken')} + ${delta})` }))
      .where('id', '=', eventId)
      .execute();
  }
}

/** Only the ledger's columns: callers pass whole registration events. */
function seatsOf({ registrationId, eventId, quantity }: RegistrationSeats): RegistrationSeats {
  return { registrationId, eventId, quantity };
}
