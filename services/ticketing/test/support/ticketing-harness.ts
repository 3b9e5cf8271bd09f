import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from '@echoplex/bus';
import { type EventState, toKafkaHeaders } from '@echoplex/contracts';
import { createDatabase, type Kysely, sql } from '@echoplex/db';
import { type Mailer, openMailer } from '@echoplex/mailer';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import type { TicketingDb } from '../../src/db/schema';
import { createTicketingService, type TicketingOptions } from '../../src/plugin';

/** Business time the tests move by hand; the service reads it through its `clock` option. */
export class TestClock {
  constructor(public current = new Date('2027-03-01T10:00:00.000Z')) {}
  now = () => this.current;
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;

export interface Ticketing extends TestServices {
  clock: TestClock;
  /** The service's schema, for assertions on what the database holds. */
  db: Kysely<TicketingDb>;
  /** Every message the service published since start, by topic. */
  published: IncomingMessage[];
  publishEvent(type: EventType, state: EventState): Promise<void>;
  publishPayment(type: 'payment.succeeded' | 'payment.refunded', data: Record<string, unknown>): Promise<string>;
  /** Announces a user as identity does, so ticketing knows the address; resolves once consumed. */
  publishUser(user: { userId: string }, email: string): Promise<void>;
  /** The dev mailbox the service sends to without SMTP (what GET /api/dev/mailbox reads). */
  mailbox: Mailer;
  /** Resolves once the service's consumer has handled (or skipped) the CloudEvent with this id. */
  consumed(eventId: string): Promise<void>;
  closeAll(): Promise<void>;
}

type EventType = 'event.created' | 'event.updated' | 'event.published' | 'event.cancelled';

const producedTopics = ['ticketing.registration.v1', 'ticketing.availability.v1', 'ticketing.ticket-type.v1'];

/** Ticketing hosted like production on a fresh database, its clock in the test's hands. */
export async function startTicketing(
  options: TicketingOptions & { bus?: 'kafka' | 'in-process'; env?: Record<string, string> } = {},
): Promise<Ticketing> {
  const clock = new TestClock();
  const { bus, env, ...serviceOptions } = options;
  const services = await startServicesForTests(
    [
      createTicketingService({
        clock: clock.now,
        sweepIntervalMs: 50,
        consumerGroup: `ticketing-${randomUUID()}`,
        ...serviceOptions,
      }),
    ],
    { bus, env: { RATE_LIMITS: 'off', ...env } },
  );
  const database = createDatabase<unknown>({ url: services.databaseUrl, poolMax: 4 });
  const db = database.kysely.withSchema('ticketing') as unknown as Kysely<TicketingDb>;
  const mailbox = await openMailer({ from: 'test@echoplex.test', db, production: false });
  const published: IncomingMessage[] = [];
  const collector = await services.transport.subscribe({
    group: `collector-${randomUUID()}`,
    topics: producedTopics,
    fromBeginning: true,
    handle: async (message) => {
      published.push(message);
    },
  });
  const publish = async (topic: string, key: string, type: string, data: object) => {
    const id = randomUUID();
    await services.transport.publish([
      {
        topic,
        key,
        value: JSON.stringify(data),
        headers: toKafkaHeaders({ id, source: 'test', type, time: new Date().toISOString(), subject: key, data }),
      },
    ]);
    return id;
  };
  const consumed = async (eventId: string) => {
    const handled = await eventually(
      async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from ticketing.inbox where event_id = ${eventId}`.execute(
            db,
          )
        ).rows[0]?.n ?? 0,
      (n) => n > 0,
      30_000,
    );
    if (handled === 0) throw new Error(`event ${eventId} was not consumed`);
  };
  return {
    ...services,
    clock,
    db,
    published,
    async publishEvent(type, state) {
      await consumed(await publish('events.event.v1', state.eventId, type, state));
    },
    async publishPayment(type, data) {
      const id = await publish('payments.payment.v1', String(data.registrationId), type, data);
      await consumed(id);
      return id;
    },
    async publishUser(user, email) {
      const data = { userId: user.userId, email, firstName: 'Mia', lastName: 'Attendee', role: 'attendee' };
      await consumed(await publish('identity.user.v1', user.userId, 'user.registered', data));
    },
    mailbox,
    consumed,
    async closeAll() {
      await collector.stop();
      await database.close();
      await services.close();
    },
  };
}

/** An event as the events service announces it; published, starting in a week, unless told otherwise. */
export function eventState(overrides: Partial<EventState> & { organizerId: string }, clock: TestClock): EventState {
  return {
    eventId: randomUUID(),
    name: 'Sale day',
    status: 'published',
    startTime: new Date(clock.current.getTime() + hours(24 * 7)).toISOString(),
    endTime: new Date(clock.current.getTime() + hours(24 * 7 + 3)).toISOString(),
    capacity: 100,
    city: null,
    categories: [],
    ...overrides,
  };
}

export function paymentFacts(registration: { id: string; eventId: string; amount: number; currency: string }) {
  return {
    paymentId: randomUUID(),
    registrationId: registration.id,
    eventId: registration.eventId,
    amount: registration.amount,
    currency: registration.currency,
    occurredAt: new Date().toISOString(),
  };
}

/** The messages of one type the service published about one event (registration topics key by event). */
export function messagesOf(published: IncomingMessage[], type: string, filter: (data: any) => boolean = () => true) {
  return published
    .filter((message) => message.headers.ce_type === type)
    .map((message) => JSON.parse(message.value))
    .filter(filter);
}

/**
 * What the service has committed to say, from its outbox (rows stay after they are published): a
 * second copy would be here as soon as the transaction that wrote it, with nothing to wait for.
 */
export async function committedEvents(t: Ticketing, type: string, filter: (data: any) => boolean = () => true) {
  const rows = await t.db.selectFrom('outbox').select('payload').where('type', '=', type).orderBy('id').execute();
  return rows.map((row) => row.payload).filter(filter);
}

/** Waits until the relay has delivered at least `count` matching messages, then returns them all. */
export function publishedEventually(
  t: Ticketing,
  type: string,
  filter: (data: any) => boolean = () => true,
  count = 1,
) {
  return eventually(
    async () => messagesOf(t.published, type, filter),
    (list) => list.length >= count,
  );
}
