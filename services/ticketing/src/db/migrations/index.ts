import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createTicketing from './2026-11-26T0900_create-ticketing';
import * as confirmationMail from './2026-11-26T1300_confirmation-mail';
import * as salePolicies from './2026-12-07T2300_sale-policies';

export const migrations: Migrations = {
  '2026-11-26T0000_bus-tables': busTablesMigration,
  '2026-11-26T0900_create-ticketing': createTicketing,
  '2026-11-26T1300_confirmation-mail': confirmationMail,
  '2026-12-07T2300_sale-policies': salePolicies,
};
