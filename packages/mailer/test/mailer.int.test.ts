import { randomBytes } from 'node:crypto';
import { createDatabase, ensureServiceRole, type Kysely, serviceRole, sql } from '@echoplex/db';
import { createTestDatabase } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { grantDevMailbox, openMailer } from '../src';
import { startSmtpSink } from './smtp-sink';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: ReturnType<typeof createDatabase<unknown>>;
let db: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'), 'mailer');
  connection = createDatabase<unknown>({ url: database.url, poolMax: 2 });
  db = connection.kysely.withSchema('some_service');
});
afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

describe('without SMTP_URL', () => {
  it('keeps messages in the dev mailbox and lists them newest first, by recipient in any case', async () => {
    const mailer = await openMailer({ from: 'EchoPlex <no-reply@echoplex.test>', db, production: false });
    expect(mailer.mode).toBe('mailbox');
    await mailer.send({ to: 'Ada@Example.test', subject: 'first', text: 'one' });
    await mailer.send({ to: 'ada@example.test', subject: 'second', text: 'two', html: '<p>two</p>' });
    await mailer.send({ to: 'someone.else@example.test', subject: 'other', text: 'three' });

    const items = await mailer.mailbox({ to: 'ADA@example.test' });
    expect(items.map((item) => item.subject)).toEqual(['second', 'first']);
    expect(items[0]).toMatchObject({ to: 'ada@example.test', text: 'two', html: '<p>two</p>' });
    expect(items[1]).not.toHaveProperty('html');
    expect(items[0]?.sentAt).toBeInstanceOf(Date);
    expect(await mailer.mailbox()).toHaveLength(3);
    expect(await mailer.mailbox({ limit: 1 })).toHaveLength(1);
  });

  it('is one mailbox for every service, outside their schemas', async () => {
    const ticketing = await openMailer({
      from: 'x@echoplex.test',
      db: connection.kysely.withSchema('ticketing'),
      production: false,
    });
    const identity = await openMailer({
      from: 'x@echoplex.test',
      db: connection.kysely.withSchema('identity'),
      production: false,
    });
    await ticketing.send({ to: 'shared@example.test', subject: 'from ticketing', text: 't' });
    expect((await identity.mailbox({ to: 'shared@example.test' })).map((mail) => mail.subject)).toEqual([
      'from ticketing',
    ]);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from dev_mail.messages where recipient = 'shared@example.test'`.execute(
      connection.kysely,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('keeps a message sent again under the same id once', async () => {
    const mailer = await openMailer({ from: 'x@echoplex.test', db, production: false });
    const message = { id: 'confirmation.r1@echoplex.test', to: 'twice@example.test', subject: 'once', text: 'codes' };
    await mailer.send(message);
    await mailer.send(message);
    await mailer.send({ to: 'twice@example.test', subject: 'no id', text: 'a' });
    await mailer.send({ to: 'twice@example.test', subject: 'no id', text: 'b' });
    expect((await mailer.mailbox({ to: 'twice@example.test' })).map((mail) => mail.subject)).toEqual([
      'no id',
      'no id',
      'once',
    ]);
  });
});

describe('inside the caller’s transaction', () => {
  it('keeps the message only if the transaction commits', async () => {
    const mailer = await openMailer({ from: 'x@echoplex.test', db, production: false });
    await expect(
      db.transaction().execute(async (trx) => {
        await mailer.send({ to: 'within@example.test', subject: 'rolled back', text: 'a' }, { within: trx });
        throw new Error('the handler failed after sending');
      }),
    ).rejects.toThrow('the handler failed');
    await db.transaction().execute(async (trx) => {
      await mailer.send({ to: 'within@example.test', subject: 'committed', text: 'b' }, { within: trx });
    });
    expect((await mailer.mailbox({ to: 'within@example.test' })).map((mail) => mail.subject)).toEqual(['committed']);
  });
});

describe('in production without SMTP_URL', () => {
  it('keeps nothing: no dev mailbox is served there', async () => {
    const mailer = await openMailer({ from: 'x@echoplex.test', db, production: true });
    expect(mailer.mode).toBe('discard');
    await mailer.send({ to: 'prod@example.test', subject: 's', text: 't' });
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from dev_mail.messages where recipient = 'prod@example.test'`.execute(
      connection.kysely,
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe('distributed mode: service roles that own only their schema', () => {
  const suffix = randomBytes(4).toString('hex');
  const senderSchema = `mail_sender_${suffix}`;
  const readerSchema = `mail_reader_${suffix}`;
  const outsiderSchema = `mail_outsider_${suffix}`;
  const roles = [senderSchema, readerSchema, outsiderSchema].map(serviceRole);
  let roleDatabase: Awaited<ReturnType<typeof createTestDatabase>>;
  const connections: ReturnType<typeof createDatabase<unknown>>[] = [];
  const connectAs = async (schema: string) => {
    const roleConnection = createDatabase<unknown>({
      url: await ensureServiceRole(roleDatabase.url, schema),
      poolMax: 1,
    });
    connections.push(roleConnection);
    return roleConnection.kysely.withSchema(schema);
  };

  beforeAll(async () => {
    roleDatabase = await createTestDatabase(inject('databaseUrl'), 'mailer_roles');
  });
  afterAll(async () => {
    for (const roleConnection of connections) await roleConnection.close();
    await roleDatabase?.drop();
    const admin = createDatabase<unknown>({ url: inject('databaseUrl'), poolMax: 1 });
    for (const role of roles) await sql`drop role if exists ${sql.id(role)}`.execute(admin.kysely);
    await admin.close();
  });

  it('lets senders add mail, only the reader read it, and nobody else touch it', async () => {
    const sender = await connectAs(senderSchema);
    const reader = await connectAs(readerSchema);
    const outsider = await connectAs(outsiderSchema);
    await grantDevMailbox(roleDatabase.url, [
      { role: serviceRole(senderSchema), read: false },
      { role: serviceRole(readerSchema), read: true },
    ]);

    const sending = await openMailer({ from: 'x@echoplex.test', db: sender, production: false });
    const reading = await openMailer({ from: 'x@echoplex.test', db: reader, production: false });
    const message = { id: 'roles@echoplex.test', to: 'roles@example.test', subject: 'granted', text: 't' };
    await sending.send(message);
    await sending.send(message);
    await reading.send({ to: 'roles@example.test', subject: 'from the reader', text: 't' });

    expect((await reading.mailbox({ to: 'roles@example.test' })).map((mail) => mail.subject)).toEqual([
      'from the reader',
      'granted',
    ]);
    await expect(sending.mailbox({ to: 'roles@example.test' })).rejects.toThrow(/permission denied/);
    await expect(openMailer({ from: 'x@echoplex.test', db: outsider, production: false })).rejects.toThrow();
  });
});

describe('with SMTP_URL', () => {
  it('delivers through SMTP and keeps nothing in the mailbox', async () => {
    const sink = await startSmtpSink();
    const mailer = await openMailer({
      smtpUrl: sink.url,
      from: 'EchoPlex <no-reply@echoplex.test>',
      db,
      production: false,
    });
    try {
      expect(mailer.mode).toBe('smtp');
      await mailer.send({ to: 'grace@example.test', subject: 'Reset your password', text: 'token abc' });
      await mailer.send({
        id: 'r1.confirmation@echoplex.test',
        to: 'grace@example.test',
        subject: 'Tickets',
        text: 'c',
      });
      expect(sink.received).toHaveLength(2);
      expect(sink.received[1]?.data).toContain('Message-ID: <r1.confirmation@echoplex.test>');
      expect(sink.received[0]?.from).toContain('no-reply@echoplex.test');
      expect(sink.received[0]?.to).toEqual(['<grace@example.test>']);
      expect(sink.received[0]?.data).toContain('Subject: Reset your password');
      expect(sink.received[0]?.data).toContain('token abc');
      expect(await mailer.mailbox({ to: 'grace@example.test' })).toEqual([]);
    } finally {
      await mailer.close();
      await sink.close();
    }
  });

  it('fails the send when the server cannot be reached', async () => {
    const sink = await startSmtpSink();
    await sink.close();
    const mailer = await openMailer({ smtpUrl: sink.url, from: 'no-reply@echoplex.test', db, production: false });
    await expect(mailer.send({ to: 'x@example.test', subject: 's', text: 't' })).rejects.toThrow();
    await mailer.close();
  });
});
