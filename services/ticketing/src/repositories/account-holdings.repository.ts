import { type Kysely, sql } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import type { AccountHoldings } from '../domain/account-limits';

/**
 * The registrations one account holds for one event. Limits on them are checked and the seats
 * taken while the account holds a lock of its own for the event: only a new registration adds to
 * its holdings, so two concurrent orders of one account are judged one after the other, each
 * against what the other committed. A session-level advisory lock on a connection of its own, not
 * a transaction: the seat statement stays its own transaction, so the event's seat lock is never
 * held across a round trip, and other accounts never wait for this lock.
 */
export class AccountHoldingsRepository {
  async whileLocked<T>(
    db: Kysely<TicketingDb>,
    account: { userId: string; eventId: string },
    work: (connection: Kysely<TicketingDb>) => Promise<T>,
  ): Promise<T> {
    const key = sql`hashtextextended(${`ticketing.account-holdings:${account.eventId}:${account.userId}`}, 0)`;
    return db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${key})`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(connection);
      }
    });
  }

  async read(
    executor: Kysely<TicketingDb>,
    account: { userId: string; eventId: string },
    expiredSince: Date,
  ): Promise<AccountHoldings> {
    const row = await executor
      .selectFrom('registrations')
      .select([
        sql<string>`coalesce(sum(quantity) filter (where status in ('pending', 'confirmed')), 0)`.as('tickets'),
        sql<string>`count(*) filter (where status = 'pending')`.as('pendingHolds'),
        sql<Date | null>`min(expires_at) filter (where status = 'pending')`.as('nextHoldExpiry'),
        sql<string>`count(*) filter (where status = 'expired' and expires_at >= ${expiredSince})`.as('recentExpiries'),
        sql<Date | null>`max(expires_at) filter (where status = 'expired')`.as('lastExpiry'),
      ])
      .where('userId', '=', account.userId)
      .where('eventId', '=', account.eventId)
      .executeTakeFirstOrThrow();
    return {
      tickets: Number(row.tickets),
      pendingHolds: Number(row.pendingHolds),
      nextHoldExpiry: row.nextHoldExpiry,
      recentExpiries: Number(row.recentExpiries),
      lastExpiry: row.lastExpiry,
    };
  }
}
