import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from '@echoplex/db';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { RegistrationStatus, RegistrationsTable, TicketingDb, TicketsTable } from '../db/schema';

export type RegistrationRow = Selectable<RegistrationsTable>;
export type TicketRow = Selectable<TicketsTable>;

export const activeStatuses: RegistrationStatus[] = ['pending', 'confirmed'];

export interface RegistrationMatch {
  userId?: string;
  eventId?: string;
  status?: RegistrationStatus;
  /** Matches codes, ticket codes, attendee names and emails, and the registered user's name and email. */
  query?: string;
}

export interface RegistrationFilter extends RegistrationMatch {
  /** Keyset position: rows after this id in the list's order. */
  after?: string;
  order: 'newest' | 'oldest';
  limit: number;
}

export class RegistrationRepository {
  constructor(private readonly db: Kysely<TicketingDb>) {}

  /**
   * The registration, its tickets and a notification on `notify` (delivered at commit), in one
   * statement: every round trip saved is time the caller's connection is not held.
   */
  async insert(
    trx: Transaction<TicketingDb>,
    registration: Insertable<RegistrationsTable>,
    tickets: Insertable<TicketsTable>[],
    notify: { channel: string; payload: string },
  ): Promise<void> {
    await trx
      .with('registration', (db) => db.insertInto('registrations').values(registration).returning('id'))
      .with('ticket', (db) => db.insertInto('tickets').values(tickets).returning('id'))
      .selectNoFrom(sql<string>`pg_notify(${notify.channel}, ${notify.payload})`.as('notified'))
      .execute();
  }

  find(id: string): Promise<RegistrationRow | undefined> {
    return this.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findForUpdate(trx: Transaction<TicketingDb>, id: string): Promise<RegistrationRow | undefined> {
    return trx.selectFrom('registrations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Locks the registration against cancellation while one of its tickets is checked in. */
  findForShare(trx: Transaction<TicketingDb>, id: string): Promise<RegistrationRow | undefined> {
    return trx.selectFrom('registrations').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  }

  async anyTicketCheckedIn(trx: Transaction<TicketingDb>, registrationId: string): Promise<boolean> {
    const row = await trx
      .selectFrom('tickets')
      .select('id')
      .where('registrationId', '=', registrationId)
      .where('checkedInAt', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async update(
    trx: Transaction<TicketingDb>,
    id: string,
    changes: Updateable<RegistrationsTable>,
  ): Promise<RegistrationRow> {
    return trx.updateTable('registrations').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  async hasOtherActive(
    trx: Transaction<TicketingDb>,
    registration: { id: string; userId: string; ticketTypeId: string },
  ): Promise<boolean> {
    const row = await trx
      .selectFrom('registrations')
      .select('id')
      .where('userId', '=', registration.userId)
      .where('ticketTypeId', '=', registration.ticketTypeId)
      .where('status', 'in', activeStatuses)
      .where('id', '!=', registration.id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every active registration of an event, locked, in id order (the lock order of the service). */
  lockActiveOfEvent(trx: Transaction<TicketingDb>, eventId: string): Promise<RegistrationRow[]> {
    return trx
      .selectFrom('registrations')
      .selectAll()
      .where('eventId', '=', eventId)
      .where('status', 'in', activeStatuses)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /**
   * Expired holds not being handled by anyone else: rows another sweeper (or a payment arriving
   * for the same hold) has locked are skipped, so several instances sweep side by side.
   */
  lockExpiredHolds(trx: Transaction<TicketingDb>, now: Date, limit: number): Promise<RegistrationRow[]> {
    return trx
      .selectFrom('registrations')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expiresAt', '<=', now)
      .orderBy('expiresAt')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  async markMany(trx: Transaction<TicketingDb>, ids: string[], changes: Updateable<RegistrationsTable>) {
    if (ids.length === 0) return;
    await trx.updateTable('registrations').set(changes).where('id', 'in', ids).execute();
  }

  ticketsOf(registrationIds: string[]): Promise<TicketRow[]> {
    if (registrationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('tickets')
      .selectAll()
      .where('registrationId', 'in', registrationIds)
      .orderBy('registrationId')
      .orderBy('position')
      .execute();
  }

  findTicketByCode(eventId: string, code: string): Promise<TicketRow | undefined> {
    return this.db
      .selectFrom('tickets')
      .selectAll()
      .where('code', '=', code)
      .where('eventId', '=', eventId)
      .executeTakeFirst();
  }

  /** Sets the check-in time only if none is set yet: two scanners at two doors cannot both admit. */
  checkIn(trx: Transaction<TicketingDb>, ticketId: string, now: Date): Promise<TicketRow | undefined> {
    return trx
      .updateTable('tickets')
      .set({ checkedInAt: now })
      .where('id', '=', ticketId)
      .where('checkedInAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  list(filter: RegistrationFilter): Promise<RegistrationRow[]> {
    let query = this.db.selectFrom('registrations').selectAll('registrations').where(registrationMatches(filter));
    if (filter.after) {
      query = query.where('registrations.id', filter.order === 'newest' ? '<' : '>', filter.after);
    }
    return query
      .orderBy('registrations.id', filter.order === 'newest' ? 'desc' : 'asc')
      .limit(filter.limit)
      .execute();
  }
}

/** The filters of the registration lists and the CSV export, as one WHERE condition. */
export function registrationMatches(filter: RegistrationMatch) {
  return (eb: ExpressionBuilder<TicketingDb, 'registrations'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.userId) conditions.push(eb('registrations.userId', '=', filter.userId));
    if (filter.eventId) conditions.push(eb('registrations.eventId', '=', filter.eventId));
    if (filter.status) conditions.push(eb('registrations.status', '=', filter.status));
    if (filter.query) {
      const pattern = `%${filter.query.replace(/[\\%_]/g, (symbol) => `\\${symbol}`)}%`;
      conditions.push(
        eb.or([
          eb('registrations.code', 'ilike', pattern),
          eb.exists(
            eb
              .selectFrom('tickets')
              .select('tickets.id')
              .whereRef('tickets.registrationId', '=', 'registrations.id')
              .where((inner) =>
                inner.or([
                  inner('tickets.code', 'ilike', pattern),
                  inner('tickets.attendeeFirstName', 'ilike', pattern),
                  inner('tickets.attendeeLastName', 'ilike', pattern),
                  inner('tickets.attendeeEmail', 'ilike', pattern),
                ]),
              ),
          ),
          eb.exists(
            eb
              .selectFrom('users')
              .select('users.id')
              .whereRef('users.id', '=', 'registrations.userId')
              .where((inner) =>
                inner.or([
                  inner('users.firstName', 'ilike', pattern),
                  inner('users.lastName', 'ilike', pattern),
                  inner('users.email', 'ilike', pattern),
                ]),
              ),
          ),
        ]),
      );
    }
    return eb.and(conditions);
  };
}
