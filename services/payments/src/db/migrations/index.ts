import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createPayments from './2026-11-25T1000_create-payments';
import * as flagMismatchedCharges from './2026-12-07T2300_flag-mismatched-charges';

export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-25T1000_create-payments': createPayments,
  '2026-12-07T2300_flag-mismatched-charges': flagMismatchedCharges,
};
