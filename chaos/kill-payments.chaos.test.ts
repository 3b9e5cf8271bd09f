import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, api, type Client, Tally, withClients } from './clients';
import { settledInvariants } from './invariants';
import { recordResult } from './results';
import { type ChaosStack, startChaosStack } from './stack';

// Real: the distributed stack, with Stripe (the in-repo fake) in the test process so it outlives the
// payments process. 40 buyers pay at once; once a third of the webhooks are delivered, payments is
// killed with SIGKILL, Stripe's deliveries fail and are retried with backoff until it is back.
describe('payments killed while webhooks are in flight', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('applies every webhook Stripe retries, and every succeeded payment ends in a confirmed registration', async () => {
    const tally = new Tally();
    const client = api(stack, tally);
    const organizer = await client.signUp('organizer');
    const sale = await client.openSale(organizer, {
      capacity: 48,
      ticketTypes: [{ name: 'Paid', price: 3100, quantity: 48 }],
    });
    const [ticketTypeId] = sale.ticketTypeIds as [string];
    const buyers: Client[] = [];
    await withClients(Array.from({ length: 40 }), 8, async () => {
      buyers.push(await client.signUp('attendee'));
    });
    const held = new Map<Client, string>();
    await withClients(buyers, 16, async (buyer) => {
      const answer = await client.register(buyer, sale.eventId, ticketTypeId);
      expect(answer.status).toBe(201);
      held.set(buyer, answer.body.id);
    });
    const acknowledged = new Set(held.values());

    // Every buyer confirms at Stripe while its webhooks are held back, then they go out together.
    stack.stripe.holdDeliveries();
    const paid: Answer[] = [];
    await withClients([...held], 16, async ([buyer, registrationId]) => {
      paid.push(await client.pay(buyer, registrationId));
    });
    stack.stripe.releaseDeliveries('shuffle');
    const succeeded = (attempt: { status: number | null }) => attempt.status === 200;
    await eventually(
      async () => stack.stripe.deliveries().filter(succeeded).length,
      (delivered) => delivered >= buyers.length / 3,
      60_000,
    );
    const payments = stack.services.payments;
    await payments.kill();
    const deliveredBeforeKill = stack.stripe.deliveries().filter(succeeded).length;
    // Down long enough for several of Stripe's retries to fail.
    await eventually(
      async () => stack.stripe.deliveries().filter((attempt) => !succeeded(attempt)).length,
      (failed) => failed >= 10,
      60_000,
    );
    await payments.start();

    const report = await settledInvariants(stack, [{ eventId: sale.eventId, organizer }], acknowledged);
    const deliveries = stack.stripe.deliveries();
    recordResult('kill-payments', {
      tally,
      faults: [
        `kill -9 payments after ${deliveredBeforeKill} of ${buyers.length} payment webhooks were delivered`,
        `${deliveries.filter((attempt) => !succeeded(attempt)).length} webhook deliveries failed and were retried`,
      ],
      outcomes: { paid: paid.filter((answer) => answer.status === 200).length, webhookDeliveries: deliveries.length },
      report,
    });
    expect(paid.every((answer) => answer.status === 200)).toBe(true);
    expect(report.violations).toEqual([]);
    expect(report.figures.paymentsSucceededAtStripe).toBe(buyers.length);
    expect(report.figures.registrations).toEqual({ confirmed: buyers.length });
  }, 600_000);
});
