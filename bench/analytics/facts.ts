import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@echoplex/bus';
import { toKafkaHeaders } from '@echoplex/contracts';

/** A realistic mix of domain events as the other services publish them, for the consume benchmark. */
export function syntheticFacts(events: number, registrationsPerEvent: number) {
  const messages: OutgoingMessage[] = [];
  const expected = { pageViews: 0, confirmed: 0, gross: 0, refunded: 0, checkIns: 0 };
  const start = Date.UTC(2027, 0, 1);
  let clock = 0;
  const at = () => {
    clock += 1_000;
    return new Date(start + clock).toISOString();
  };
  const message = (topic: string, type: string, key: string, data: Record<string, unknown>, time: string) => {
    messages.push({
      topic,
      key,
      value: JSON.stringify(data),
      headers: toKafkaHeaders({ id: randomUUID(), source: 'bench', type, time, subject: key, data }),
    });
  };
  for (let e = 0; e < events; e++) {
    const eventId = randomUUID();
    const organizerId = randomUUID();
    const state = {
      eventId,
      organizerId,
      name: `Bench event ${e}`,
      status: 'published',
      startTime: at(),
      endTime: at(),
      capacity: registrationsPerEvent * 2,
      categories: [],
    };
    message('events.event.v1', 'event.created', eventId, state, at());
    const ticketTypeId = randomUUID();
    message(
      'ticketing.ticket-type.v1',
      'ticket_type.created',
      eventId,
      {
        eventId,
        ticketTypeId,
        name: 'General',
        price: 2500,
        currency: 'eur',
        quantity: registrationsPerEvent * 2,
        salesStart: null,
        salesEnd: null,
      },
      at(),
    );
    for (let r = 0; r < registrationsPerEvent; r++) {
      const registrationId = randomUUID();
      const facts = {
        registrationId,
        eventId,
        ticketTypeId,
        userId: randomUUID(),
        quantity: 1,
        amount: 2500,
        currency: 'eur',
      };
      const sessionId = `session-${e}-${r}`;
      for (let v = 0; v < 2; v++) {
        const occurredAt = at();
        message(
          'analytics.page-view.v1',
          'page_view.recorded',
          eventId,
          { eventId, sessionId, referrer: null, occurredAt },
          occurredAt,
        );
        expected.pageViews++;
      }
      const held = at();
      message(
        'ticketing.registration.v1',
        'registration.held',
        eventId,
        { ...facts, occurredAt: held, expiresAt: held },
        held,
      );
      if (r % 10 === 9) {
        const expiredAt = at();
        message(
          'ticketing.registration.v1',
          'registration.expired',
          eventId,
          { ...facts, occurredAt: expiredAt },
          expiredAt,
        );
        continue;
      }
      const paymentId = randomUUID();
      const payment = { paymentId, registrationId, eventId, amount: 2500, currency: 'eur' };
      const paidAt = at();
      message('payments.payment.v1', 'payment.succeeded', registrationId, { ...payment, occurredAt: paidAt }, paidAt);
      expected.gross += 2500;
      const confirmedAt = at();
      message(
        'ticketing.registration.v1',
        'registration.confirmed',
        eventId,
        { ...facts, occurredAt: confirmedAt },
        confirmedAt,
      );
      if (r % 5 === 0) {
        const cancelledAt = at();
        const cancelled = { ...facts, occurredAt: cancelledAt, reason: 'attendee', refundRequested: true };
        message('ticketing.registration.v1', 'registration.cancelled', eventId, cancelled, cancelledAt);
        const refundedAt = at();
        const refund = {
          ...payment,
          occurredAt: refundedAt,
          refundId: `re_${randomUUID()}`,
          refundedTotal: 2500,
          fullyRefunded: true,
        };
        message('payments.payment.v1', 'payment.refunded', registrationId, refund, refundedAt);
        expected.refunded += 2500;
        continue;
      }
      expected.confirmed++;
      if (r % 2 === 0) {
        const checkedInAt = at();
        const checkIn = { ticketId: randomUUID(), registrationId, eventId, ticketTypeId, checkedInAt };
        message('ticketing.registration.v1', 'ticket.checked_in', eventId, checkIn, checkedInAt);
        expected.checkIns++;
      }
    }
  }
  return { messages, expected };
}
