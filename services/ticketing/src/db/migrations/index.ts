import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createTicketing from './2026-11-26T0900_create-ticketing';

export const migrations: Migrations = {
  '2026-11-26T0000_bus-tables': busTablesMigration,
  '2026-11-26T0900_create-ticketing': createTicketing,
};
