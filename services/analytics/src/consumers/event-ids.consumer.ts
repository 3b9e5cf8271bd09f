import { randomUUID } from 'node:crypto';
import type { Subscription, Transport } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { PageViewAdmission } from '../commands/page-view-admission';
import type { AnalyticsDb } from '../db/schema';
import { knownEventIds } from '../repositories/catalog.repository';

/**
 * Keeps the page-view admission's event ids current. Every instance reads the whole topic in a group
 * of its own (the message key is the event id, so no value is parsed). The ids the reporting tables
 * already hold are loaded once as well, after subscribing so no event falls between the two: the
 * in-process bus keeps no history to read.
 */
export async function followEventIds(
  transport: Transport,
  db: Kysely<AnalyticsDb>,
  admission: PageViewAdmission,
): Promise<Subscription> {
  const subscription = await transport.subscribe({
    group:
      transport.kind === 'kafka' ? `analytics-page-view-admission-${randomUUID()}` : 'analytics-page-view-admission',
    topics: ['events.event.v1'],
    fromBeginning: true,
    handle: async (message) => {
      if (message.headers.ce_type === 'event.deleted') admission.forget(message.key);
      else admission.learn(message.key);
    },
  });
  for (const eventId of await knownEventIds(db)) admission.learn(eventId);
  return subscription;
}
