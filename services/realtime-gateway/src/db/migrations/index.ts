import { busTablesMigration } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import * as createReplayLog from './2026-11-26T0900_create-replay-log';

/**
 * The bus tables the host's outbox relay expects, and the history log used only with the
 * in-process bus. The read model itself lives in memory, rebuilt from the topics: tables in a
 * database every instance shares would be shared state.
 */
export const migrations: Migrations = {
  '2026-11-25T0000_bus-tables': busTablesMigration,
  '2026-11-26T0900_create-replay-log': createReplayLog,
};
