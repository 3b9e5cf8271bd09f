import { randomUUID } from 'node:crypto';
import { signPayload } from '@echoplex/stripe-fake';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Client, Tally, withClients } from './clients';
import { settledInvariants } from './invariants';
import { recordResult } from './results';
import { type ChaosStack, startChaosStack } from './stack';

// Real: the distributed stack. Stripe (the in-repo fake) sends every webhook five times, shuffled in
// batches, while buyers pay (some after a declined card) and the organizer refunds; afterwards old
// events are sent again and forged ones arrive. Nothing may be applied twice or moved backwards.
describe('a storm of duplicate and out-of-order webhooks', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('ends every succeeded payment in a confirmed or refunded registration, each counted once', async () => {
    const tally = new Tally();
    const client = api(stack, tally);
    const organizer = await client.signUp('organizer');
    const sale = await client.openSale(organizer, {
      capacity: 40,
      ticketTypes: [{ name: 'Paid', price: 4200, quantity: 40 }],
    });
    const [ticketTypeId] = sale.ticketTypeIds as [string];
    const buyers: Client[] = [];
    await withClients(Array.from({ length: 32 }), 8, async () => {
      buyers.push(await client.signUp('attendee'));
    });
    stack.stripe.configureDelivery({ duplicates: 5, order: 'shuffle', reorderWindowMs: 300 });

    const registrations = new Map<string, { buyer: Client; paymentIntentId?: string }>();
    await withClients(
      buyers.map((buyer, index) => ({ buyer, index })),
      16,
      async ({ buyer, index }) => {
        const held = await client.register(buyer, sale.eventId, ticketTypeId);
        expect(held.status).toBe(201);
        const cards = index % 3 === 0 ? ['pm_card_chargeDeclined', 'pm_card_visa'] : ['pm_card_visa'];
        const paid = await client.pay(buyer, held.body.id, cards);
        expect(paid.status).toBe(200);
        registrations.set(held.body.id, { buyer, paymentIntentId: paid.body.paymentIntentId });
      },
    );

    // The organizer refunds every fourth buyer once the payment is confirmed.
    const refunded = [...registrations.keys()].filter((_, index) => index % 4 === 0);
    await Promise.all(
      refunded.map(async (registrationId) => {
        const { buyer } = registrations.get(registrationId) as { buyer: Client };
        const confirmed = await eventually(
          () => client.call('GET', `/api/registrations/${registrationId}`, { client: buyer }),
          (answer) => answer.body?.status === 'confirmed',
          120_000,
        );
        expect(confirmed.body.status).toBe('confirmed');
        const refund = await client.settle('POST', '/api/payments/refunds', {
          client: organizer,
          body: { registrationId, reason: 'requested_by_customer' },
          idempotencyKey: randomUUID(),
        });
        expect(refund.status).toBe(201);
      }),
    );

    // Then every event Stripe ever sent arrives three more times, and forged ones are refused.
    const sent = stack.stripe.events();
    for (const event of sent) stack.stripe.redeliver(event.id, 3);
    let forged = 0;
    for (const event of sent.slice(0, 10)) {
      const payload = JSON.stringify({ ...event, data: { object: { ...event.data.object, amount: 1 } } });
      const answer = tally.count(
        await fetch(`${stack.baseUrl}/api/payments/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(payload, 'whsec_forged') },
          body: payload,
        }).then(async (response) => ({ status: response.status, body: await response.text() })),
      );
      if (answer.status === 400) forged++;
    }
    expect(forged).toBe(10);
    const deliveries = await eventually(
      async () => stack.stripe.deliveries(),
      (attempts) => attempts.length >= sent.length * 8,
      120_000,
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(sent.length * 8);

    const report = await settledInvariants(stack, [{ eventId: sale.eventId, organizer }], registrations.keys());
    recordResult('webhook-storm', {
      tally,
      faults: [
        `${deliveries.length} webhook deliveries of ${sent.length} Stripe events (each sent 5 times shuffled, then 3 more)`,
        `${forged} forged webhooks`,
      ],
      outcomes: {
        registrations: registrations.size,
        declinedThenPaid: buyers.filter((_, index) => index % 3 === 0).length,
        refunded: refunded.length,
      },
      report,
    });
    expect(report.violations).toEqual([]);
    expect(report.figures.paymentsByStatus).toEqual({
      succeeded: registrations.size - refunded.length,
      refunded: refunded.length,
    });
  }, 600_000);
});
