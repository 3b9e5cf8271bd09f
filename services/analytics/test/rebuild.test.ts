import { createInProcessTransport } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import { describe, expect, it } from 'vitest';
import { rebuildReportingTables } from '../src/rebuild';

describe('rebuilding the reporting tables', () => {
  it('refuses the in-process bus, which keeps no log to replay', async () => {
    await expect(
      rebuildReportingTables({ kysely: {} as Kysely<unknown>, transport: createInProcessTransport() }),
    ).rejects.toThrow(/in-process bus keeps no log/);
  });
});
