import type { MailMessage } from '@echoplex/mailer';

export interface ConfirmedRegistration {
  registrationId: string;
  code: string;
  eventName: string;
  ticketTypeName: string;
  quantity: number;
  tickets: { code: string; attendeeFirstName: string | null; attendeeLastName: string | null }[];
}

/**
 * The mail an attendee gets once a registration is confirmed: what was booked and every ticket's
 * check-in code. Plain text only, so names organizers typed can never become markup in a mail client.
 * Its id is the registration's: a confirmation sent again (a redelivered event) is the same message.
 */
export function confirmationEmail(to: string, registration: ConfirmedRegistration): MailMessage {
  const tickets = registration.tickets.map((ticket, index) => {
    const attendee = [ticket.attendeeFirstName, ticket.attendeeLastName].filter(Boolean).join(' ');
    return `  Ticket ${index + 1}: ${ticket.code}${attendee ? ` (${attendee})` : ''}`;
  });
  return {
    id: `confirmation.${registration.registrationId}@echoplex`,
    to,
    // A header line: a line break in an event name must not start another header.
    subject: `Your tickets for ${registration.eventName}`.replace(/[\r\n]+/g, ' '),
    text: [
      `Your registration for ${registration.eventName} is confirmed.`,
      '',
      `Ticket type: ${registration.ticketTypeName}`,
      `Quantity: ${registration.quantity}`,
      `Confirmation code: ${registration.code}`,
      '',
      'Show these check-in codes at the entrance:',
      ...tickets,
    ].join('\n'),
  };
}
