import { randomUUID } from 'node:crypto';
import { toKafkaHeaders } from '@echoplex/contracts';
import { sql } from '@echoplex/db';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedEvent, register } from './support/scenario';
import { minutes, paymentFacts, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL, Kafka, the service with its consumers, relay and sweeper, and the dev mailbox
// that GET /api/dev/mailbox reads. Identity and payments are represented by the CloudEvents they
// would publish (identity.user.v1 brings the attendee's address).
describe('confirmation email', () => {
  const consumerGroup = `ticketing-${randomUUID()}`;
  let t: Ticketing;
  beforeAll(async () => {
    t = await startTicketing({ bus: 'kafka', consumerGroup });
  });
  afterAll(async () => {
    await t?.closeAll();
  });

  async function attendee() {
    const user = await t.auth.user('attendee');
    const email = `attendee.${user.userId.slice(0, 8)}@example.test`;
    await t.publishUser(user, email);
    return { ...user, email };
  }
  const mailTo = (email: string) => t.mailbox.mailbox({ to: email });
  const mailArrives = (email: string) =>
    eventually(
      () => mailTo(email),
      (items) => items.length > 0,
    );
  const ticketCodes = async (registrationId: string) =>
    (
      await t.db
        .selectFrom('tickets')
        .select('code')
        .where('registrationId', '=', registrationId)
        .orderBy('position')
        .execute()
    ).map((ticket) => ticket.code);
  const registrationRow = (id: string) =>
    t.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** A free registration for the event: its mail is out once every earlier event about it was read. */
  async function mailedFreeRegistration(eventId: string, ticketTypeId: string | undefined) {
    const buyer = await attendee();
    expect((await register(t, buyer, { eventId, ticketTypeId })).statusCode).toBe(201);
    await mailArrives(buyer.email);
  }

  it('mails a free registration’s event, ticket type, quantity and every check-in code at once', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, {
      event: { name: 'Harbour Lights Festival' },
      ticketTypes: [{ name: 'Early bird', maxPerOrder: 5 }],
    });
    const buyer = await attendee();
    const response = await register(t, buyer, {
      eventId,
      ticketTypeId: ticketTypes[0]?.id,
      quantity: 3,
      attendees: [{ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.test' }],
    });
    expect(response.statusCode).toBe(201);
    const registration = response.json();

    const mail = await mailArrives(buyer.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe('Your tickets for Harbour Lights Festival');
    expect(mail[0]?.text).toContain('Ticket type: Early bird');
    expect(mail[0]?.text).toContain('Quantity: 3');
    expect(mail[0]?.text).toContain(registration.code);
    const codes = await ticketCodes(registration.id);
    expect(codes).toHaveLength(3);
    for (const code of codes) expect(mail[0]?.text).toContain(code);
    expect(mail[0]?.text).toContain('(Grace Hopper)');
    expect((await registrationRow(registration.id)).confirmationMailedAt).not.toBeNull();
  });

  it('mails a paid registration only after its payment succeeded', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, {
      ticketTypes: [{ name: 'Paid', price: 1500 }, { name: 'Free' }],
    });
    const buyer = await attendee();
    const response = await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id });
    expect(response.statusCode).toBe(201);
    const registration = response.json();
    expect(registration.status).toBe('pending');

    // Same event, same partition, later: once this mail is out, the hold has been read.
    await mailedFreeRegistration(eventId, ticketTypes[1]?.id);
    expect(await mailTo(buyer.email)).toEqual([]);

    await t.publishPayment('payment.succeeded', paymentFacts(registration));
    const mail = await mailArrives(buyer.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.text).toContain('Ticket type: Paid');
    for (const code of await ticketCodes(registration.id)) expect(mail[0]?.text).toContain(code);
  });

  it('sends nothing for holds that are cancelled or expire unpaid', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, {
      ticketTypes: [{ name: 'Paid', price: 900 }, { name: 'Free' }],
    });
    const cancelling = await attendee();
    const expiring = await attendee();
    const cancelled = (await register(t, cancelling, { eventId, ticketTypeId: ticketTypes[0]?.id })).json();
    const expired = (await register(t, expiring, { eventId, ticketTypeId: ticketTypes[0]?.id })).json();
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/registrations/${cancelled.id}/cancel`,
      headers: cancelling.headers,
    });
    expect(cancel.statusCode).toBe(200);
    t.clock.advance(minutes(10));
    await eventually(
      () => registrationRow(expired.id),
      (row) => row.status === 'expired',
    );

    await mailedFreeRegistration(eventId, ticketTypes[1]?.id);
    expect(await mailTo(cancelling.email)).toEqual([]);
    expect(await mailTo(expiring.email)).toEqual([]);
  });

  it('waits for the attendee’s address when identity’s event comes after the confirmation', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t);
    const buyer = await t.auth.user('attendee');
    expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).statusCode).toBe(201);
    const email = `late.${buyer.userId.slice(0, 8)}@example.test`;
    await t.publishUser(buyer, email);
    expect(await mailArrives(email)).toHaveLength(1);
  });

  it('mails once however often the confirmation arrives, even after a crash between mail and commit', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t);
    const buyer = await attendee();
    const registration = (await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).json();
    await mailArrives(buyer.email);
    const original = t.published.find(
      (message) =>
        message.headers.ce_type === 'registration.confirmed' &&
        JSON.parse(message.value).registrationId === registration.id,
    );
    if (!original) throw new Error('the confirmation was not published');
    const redeliver = () =>
      t.transport.publish([
        { topic: original.topic, key: original.key, value: original.value, headers: original.headers },
      ]);

    // The same event again, then another confirmation event for the registration (same key, so
    // consumed after it).
    await redeliver();
    const data = JSON.parse(original.value);
    const again = randomUUID();
    await t.transport.publish([
      {
        topic: original.topic,
        key: original.key,
        value: original.value,
        headers: toKafkaHeaders({
          id: again,
          source: 'test',
          type: 'registration.confirmed',
          time: new Date().toISOString(),
          subject: eventId,
          data,
        }),
      },
    ]);
    await t.consumed(again);
    expect(await mailTo(buyer.email)).toHaveLength(1);

    // A crash after the mail went out and before the consumer committed leaves neither the inbox
    // row nor the mark: the redelivered event sends the same message, which is kept once.
    await sql`delete from ticketing.inbox where consumer = ${`${consumerGroup}.confirmation-mail`} and event_id = ${original.headers.ce_id}`.execute(
      t.db,
    );
    await t.db
      .updateTable('registrations')
      .set({ confirmationMailedAt: null })
      .where('id', '=', registration.id)
      .execute();
    await redeliver();
    await t.consumed(String(original.headers.ce_id));
    expect((await registrationRow(registration.id)).confirmationMailedAt).not.toBeNull();
    expect(await mailTo(buyer.email)).toHaveLength(1);
  });
});
