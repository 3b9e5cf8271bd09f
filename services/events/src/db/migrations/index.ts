import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createEvents from './2026-11-25T1000_create-events';
import * as createTicketingReadModels from './2026-11-25T1010_create-ticketing-read-models';
import * as trigramSearch from './2026-11-25T1020_trigram-search';
import * as notifyEventChanges from './2026-11-25T1030_notify-event-changes';
import * as salePolicies from './2026-12-07T2300_sale-policies';

export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-25T1000_create-events': createEvents,
  '2026-11-25T1010_create-ticketing-read-models': createTicketingReadModels,
  '2026-11-25T1020_trigram-search': trigramSearch,
  '2026-11-25T1030_notify-event-changes': notifyEventChanges,
  '2026-12-07T2300_sale-policies': salePolicies,
};
