import type { Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import { confirmationEmail } from '../domain/confirmation-email';
import type { TicketingContext } from '../ticketing-context';

/**
 * Mails the attendee a confirmed registration's tickets, once. Runs in the consumer's inbox
 * transaction, after the confirmation committed: `confirmationMailedAt` and the dev mailbox's copy
 * commit with the inbox row. SMTP cannot join the transaction: a mail sent by an attempt that then
 * failed to commit is sent again under the same message id, which receivers see as a duplicate.
 */
export async function sendRegistrationConfirmation(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  registrationId: string,
): Promise<void> {
  const registration = await trx
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.eventId')
    .innerJoin('ticketTypes', 'ticketTypes.id', 'registrations.ticketTypeId')
    .leftJoin('users', 'users.id', 'registrations.userId')
    .select([
      'registrations.id as registrationId',
      'registrations.code',
      'registrations.status',
      'registrations.quantity',
      'registrations.confirmationMailedAt',
      'events.name as eventName',
      'ticketTypes.name as ticketTypeName',
      'users.email',
    ])
    .where('registrations.id', '=', registrationId)
    .executeTakeFirst();
  // Cancelled since: its codes no longer admit anyone.
  if (registration?.status !== 'confirmed' || registration.confirmationMailedAt) return;
  if (!registration.email) {
    // identity.user.v1 is a topic of its own and may not have brought the address yet: retried.
    throw new Error('the attendee’s email address is not known yet');
  }
  const tickets = await trx
    .selectFrom('tickets')
    .select(['code', 'attendeeFirstName', 'attendeeLastName'])
    .where('registrationId', '=', registrationId)
    .orderBy('position')
    .execute();
  await ctx.mailer.send(confirmationEmail(registration.email, { ...registration, tickets }), { within: trx });
  await trx
    .updateTable('registrations')
    .set({ confirmationMailedAt: ctx.clock() })
    .where('id', '=', registrationId)
    .execute();
}
