import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledInvariants } from './invariants';
import { recordResult } from './results';
import { saleUnderFault } from './sale';
import { type ChaosStack, startChaosStack } from './stack';

// Real: the distributed stack on a Kafka broker of its own, stopped and started again once a quarter
// of the seats are sold. Writes go on into the outboxes; relays and consumers catch up afterwards.
describe('the Kafka broker restarted in the middle of a 64-client sale', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack({ holdMinutes: 0.5 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('loses no committed change downstream and sells no seat twice', async () => {
    const sale = await saleUnderFault(stack, { name: 'Kafka broker restart', inject: () => stack.kafka.restart() });
    expect(sale.faults).toHaveLength(1);
    expect((sale.outcomes['registration 201'] ?? 0) + (sale.outcomes['sold out'] ?? 0)).toBe(sale.buyers);
    expect(sale.tally.statuses.get(500)).toBeUndefined();

    const report = await settledInvariants(stack, [sale], sale.acknowledged);
    recordResult('kafka-restart', { ...sale, report });
    expect(report.violations).toEqual([]);
  }, 600_000);
});
