import { createDatabase, type Kysely, migrateSchema } from '@echoplex/db';
import { createTestDatabase } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailer, mailboxTableMigration } from '../src';
import { startSmtpSink } from './smtp-sink';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: ReturnType<typeof createDatabase<unknown>>;
let db: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'), 'mailer');
  connection = createDatabase<unknown>({ url: database.url, poolMax: 2 });
  await migrateSchema(connection.kysely, 'mailer_test', { '0001_mailbox': mailboxTableMigration });
  db = connection.kysely.withSchema('mailer_test');
});
afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

describe('without SMTP_URL', () => {
  it('stores messages in the caller’s schema and lists them newest first, by recipient in any case', async () => {
    const mailer = createMailer({ from: 'EchoPlex <no-reply@echoplex.test>', db });
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
});

describe('with SMTP_URL', () => {
  it('delivers through SMTP and keeps nothing in the mailbox', async () => {
    const sink = await startSmtpSink();
    const mailer = createMailer({ smtpUrl: sink.url, from: 'EchoPlex <no-reply@echoplex.test>', db });
    try {
      expect(mailer.mode).toBe('smtp');
      await mailer.send({ to: 'grace@example.test', subject: 'Reset your password', text: 'token abc' });
      expect(sink.received).toHaveLength(1);
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
    const mailer = createMailer({ smtpUrl: sink.url, from: 'no-reply@echoplex.test', db });
    await expect(mailer.send({ to: 'x@example.test', subject: 's', text: 't' })).rejects.toThrow();
    await mailer.close();
  });
});
