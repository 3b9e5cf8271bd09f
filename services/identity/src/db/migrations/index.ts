import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createUsersAndKeys from './2026-11-25T0900_create-users-and-keys';

export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-25T0900_create-users-and-keys': createUsersAndKeys,
};
