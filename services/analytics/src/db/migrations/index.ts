import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createReportingTables from './2026-11-26T0900_create-reporting-tables';

export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-26T0900_create-reporting-tables': createReportingTables,
};
