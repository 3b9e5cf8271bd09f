import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledInvariants } from './invariants';
import { recordResult } from './results';
import { saleUnderFault } from './sale';
import { type ChaosStack, startChaosStack } from './stack';

// Real: the distributed stack on a PostgreSQL server of its own (never the machine's), stopped and
// started again once a quarter of the seats are sold. Clients get 503 and retry; nothing is half-written.
describe('the database restarted under load', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack({ postgres: 'embedded', holdMinutes: 0.5 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 503 while it is down, and afterwards every invariant holds', async () => {
    const postgres = stack.postgres as NonNullable<ChaosStack['postgres']>;
    const sale = await saleUnderFault(stack, {
      name: 'PostgreSQL stopped for 3 s and started again',
      inject: async () => {
        await postgres.stop();
        await new Promise((done) => setTimeout(done, 3_000));
        await postgres.start();
      },
    });
    expect(sale.faults).toHaveLength(1);
    expect((sale.outcomes['registration 201'] ?? 0) + (sale.outcomes['sold out'] ?? 0)).toBe(sale.buyers);
    expect(sale.tally.statuses.get(503)).toBeGreaterThan(0);
    expect(sale.tally.statuses.get(500)).toBeUndefined();

    const report = await settledInvariants(stack, [sale], sale.acknowledged);
    recordResult('database-restart', { ...sale, report });
    expect(report.violations).toEqual([]);
  }, 600_000);
});
