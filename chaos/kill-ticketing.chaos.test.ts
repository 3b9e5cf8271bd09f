import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledInvariants } from './invariants';
import { recordResult } from './results';
import { saleUnderFault } from './sale';
import { type ChaosStack, startChaosStack } from './stack';

// Real: every service as its own process, Kafka, PostgreSQL, the gateway. Ticketing is killed with
// SIGKILL once a quarter of the seats are sold, and started again while 64 clients keep buying.
describe('kill -9 ticketing in the middle of a 64-client sale', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack({ holdMinutes: 0.5 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sells no seat twice, loses no acknowledged registration, and every payment ends confirmed or refunded', async () => {
    const ticketing = stack.services.ticketing;
    const sale = await saleUnderFault(stack, {
      name: 'kill -9 ticketing',
      inject: async () => {
        await ticketing.kill();
        await ticketing.start();
      },
    });
    expect(sale.faults).toHaveLength(1);
    // Every client got a final answer, a seat or sold out; while ticketing was down the gateway said 503.
    expect((sale.outcomes['registration 201'] ?? 0) + (sale.outcomes['sold out'] ?? 0)).toBe(sale.buyers);
    expect(sale.tally.statuses.get(503)).toBeGreaterThan(0);
    expect(sale.tally.statuses.get(500)).toBeUndefined();

    const report = await settledInvariants(stack, [sale], sale.acknowledged);
    recordResult('kill-ticketing', { ...sale, report });
    expect(report.violations).toEqual([]);
  }, 600_000);
});
