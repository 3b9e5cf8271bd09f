import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createUsersAndKeys from './2026-11-25T0900_create-users-and-keys';
import * as createSessionsAndPasswordResets from './2026-11-25T1000_create-sessions-and-password-resets';
import * as mailbox from './2026-11-25T1001_mailbox';
import * as dropDevMailbox from './2026-11-26T1000_drop-dev-mailbox';
import * as createLoginFailures from './2026-12-07T2300_create-login-failures';

export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-25T0900_create-users-and-keys': createUsersAndKeys,
  '2026-11-25T1000_create-sessions-and-password-resets': createSessionsAndPasswordResets,
  '2026-11-25T1001_mailbox': mailbox,
  '2026-11-26T1000_drop-dev-mailbox': dropDevMailbox,
  '2026-12-07T2300_create-login-failures': createLoginFailures,
};
