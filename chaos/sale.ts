import { api, type Client, Tally, withClients } from './clients';
import type { ChaosStack } from './stack';

export interface SaleUnderFault {
  tally: Tally;
  organizer: Client;
  eventId: string;
  buyers: number;
  /** Registration ids answered 201. */
  acknowledged: Set<string>;
  faults: string[];
  outcomes: Record<string, number>;
}

/**
 * 96 buyers, 64 at a time, for 64 seats of two ticket types (free and paid, 48 each): each registers
 * with one Idempotency-Key until it gets a final answer, and a paid buyer pays at once (one in eight
 * walks away, leaving a hold to expire). Once a quarter of the seats are sold, `fault` runs while
 * the clients go on.
 */
export async function saleUnderFault(
  stack: ChaosStack,
  fault: { name: string; inject: () => Promise<void> },
): Promise<SaleUnderFault> {
  const tally = new Tally();
  const payments = new Tally();
  const client = api(stack, tally);
  const organizer = await client.signUp('organizer');
  const capacity = 64;
  const sale = await client.openSale(organizer, {
    capacity,
    ticketTypes: [
      { name: 'Free', price: 0, quantity: 48 },
      { name: 'Paid', price: 2500, quantity: 48 },
    ],
  });
  const [free, paid] = sale.ticketTypeIds as [string, string];
  const buyers: Client[] = [];
  await withClients(Array.from({ length: 96 }), 8, async () => {
    buyers.push(await client.signUp('attendee'));
  });
  const requestsBeforeSale = tally.requests;

  const final = new Tally();
  const acknowledged = new Set<string>();
  const faults: string[] = [];
  let injected: Promise<void> | undefined;
  let soldOut = 0;
  await withClients(
    buyers.map((buyer, index) => ({ buyer, index })),
    64,
    async ({ buyer, index }) => {
      const answer = await client.register(buyer, sale.eventId, index % 2 ? paid : free);
      final.count(answer);
      if (answer.status === 409 && answer.body?.code === 'sold_out') soldOut++;
      if (answer.status !== 201) return;
      acknowledged.add(answer.body.id);
      if (!injected && acknowledged.size >= capacity / 4) {
        faults.push(`${fault.name} after ${acknowledged.size} registrations`);
        injected = fault.inject();
      }
      if (answer.body.status === 'pending' && index % 16 !== 1) payments.count(await client.pay(buyer, answer.body.id));
    },
  );
  await injected;
  const outcomes = Object.fromEntries([
    ...Object.entries(final.byStatus()).map(([status, n]) => [`registration ${status}`, n]),
    ['sold out', soldOut],
    ...Object.entries(payments.byStatus()).map(([status, n]) => [`payment ${status}`, n]),
    ['requests during the sale', tally.requests - requestsBeforeSale],
  ]);
  return {
    tally,
    organizer,
    eventId: sale.eventId,
    buyers: buyers.length,
    acknowledged,
    faults,
    outcomes,
  };
}
