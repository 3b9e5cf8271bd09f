/**
 * A dedicated database with `count` published events written straight into the events schema
 * (the API would take minutes for 100,000). Content comes from the service's own sample generator,
 * so the words, cities and categories the benchmark searches for are the real distribution.
 */

import { createDatabase, migrateSchema, sql } from '@echoplex/db';
import { eventsService } from '@echoplex/events';
import { sampleEvents } from '@echoplex/events/seed';
import { faker } from '@faker-js/faker';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

export async function ensureBenchDatabase(adminUrl: string, name: string, count: number, reseed: boolean) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount && !reseed) {
      const db = createDatabase<any>({ url: url.toString(), poolMax: 1 });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from events.events where status = 'published'`
        .execute(db.kysely)
        .catch(() => ({ rows: [{ n: 0 }] }));
      await db.close();
      if (rows[0]?.n === count) return url.toString();
    }
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }

  const db = createDatabase<any>({ url: url.toString(), poolMax: 4 });
  await migrateSchema(db.kysely, eventsService.schema, eventsService.migrations);
  faker.seed(20261125);
  const organizers = Array.from({ length: 500 }, () => faker.string.uuid());
  const started = performance.now();
  const batch = 2_000;
  for (let done = 0; done < count; done += batch) {
    const now = new Date();
    const rows = sampleEvents(faker, Math.min(batch, count - done)).map((sample) => ({
      ...sample,
      id: uuidv7(),
      organizerId: faker.helpers.arrayElement(organizers),
      startTime: new Date(sample.startTime),
      endTime: new Date(sample.endTime),
      status: 'published',
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await db.kysely.withSchema('events').insertInto('events').values(rows).execute();
  }
  await sql`vacuum analyze events.events`.execute(db.kysely);
  await db.close();
  console.log(`seeded ${count} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return url.toString();
}
