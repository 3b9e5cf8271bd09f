import type { Kysely } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import { csvRow } from '../domain/csv';
import { type RegistrationMatch, registrationMatches } from '../repositories/registration.repository';

const header = [
  'registration_code',
  'ticket_code',
  'status',
  'ticket_type',
  'first_name',
  'last_name',
  'email',
  'user_id',
  'price',
  'currency',
  'registered_at',
  'checked_in_at',
];

/**
 * The attendee list as CSV, one row per ticket, produced a page at a time: each page is a keyset
 * query after the last (registration, ticket) pair written, so 50,000 rows never sit in memory and
 * no connection is held between pages. The caller streams the chunks (with backpressure) as they come.
 */
export async function* attendeeCsv(
  db: Kysely<TicketingDb>,
  filter: RegistrationMatch & { eventId: string },
  pageSize = 1_000,
): AsyncGenerator<string> {
  yield csvRow(header);
  let after: { registrationId: string; position: number } | undefined;
  for (;;) {
    let query = db
      .selectFrom('registrations')
      .innerJoin('tickets', 'tickets.registrationId', 'registrations.id')
      .innerJoin('ticketTypes', 'ticketTypes.id', 'registrations.ticketTypeId')
      .leftJoin('users', 'users.id', 'registrations.userId')
      .select([
        'registrations.id as registrationId',
        'registrations.code as registrationCode',
        'registrations.status',
        'registrations.userId',
        'registrations.amount',
        'registrations.quantity',
        'registrations.currency',
        'registrations.createdAt',
        'ticketTypes.name as ticketTypeName',
        'tickets.code as ticketCode',
        'tickets.position',
        'tickets.attendeeFirstName',
        'tickets.attendeeLastName',
        'tickets.attendeeEmail',
        'tickets.checkedInAt',
        'users.firstName as userFirstName',
        'users.lastName as userLastName',
        'users.email as userEmail',
      ])
      .where(registrationMatches(filter));
    if (after) {
      const { registrationId, position } = after;
      query = query.where((eb) =>
        eb(eb.refTuple('registrations.id', 'tickets.position'), '>', eb.tuple(registrationId, position)),
      );
    }
    const rows = await query.orderBy('registrations.id').orderBy('tickets.position').limit(pageSize).execute();
    if (rows.length > 0) {
      yield rows
        .map((row) =>
          csvRow([
            row.registrationCode,
            row.ticketCode,
            row.status,
            row.ticketTypeName,
            row.attendeeFirstName ?? row.userFirstName,
            row.attendeeLastName ?? row.userLastName,
            row.attendeeEmail ?? row.userEmail,
            row.userId,
            row.amount / row.quantity,
            row.currency,
            row.createdAt.toISOString(),
            row.checkedInAt?.toISOString() ?? null,
          ]),
        )
        .join('');
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { registrationId: last.registrationId, position: last.position };
  }
}
