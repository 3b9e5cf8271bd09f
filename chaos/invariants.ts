import { eventually } from '@echoplex/testkit';
import type { Client } from './clients';
import type { ChaosStack } from './stack';

/** A seconds margin past `expiresAt` within which the hold sweeper (1 s interval) must have ended a hold. */
const holdMarginSeconds = 15;

export interface InvariantReport {
  violations: string[];
  figures: {
    registrations: Record<string, number>;
    seatsTaken: number;
    paymentsSucceededAtStripe: number;
    paymentsByStatus: Record<string, number>;
  };
}

/**
 * The promises EchoPlex keeps under faults, read from the source tables of every schema and from the
 * analytics API once the system has settled. Each broken promise is one line in `violations`.
 * `acknowledged`: registration ids that clients received a 201 for (none of them may be missing).
 */
export async function checkInvariants(
  stack: ChaosStack,
  sales: { eventId: string; organizer: Client }[],
  acknowledged: Iterable<string>,
): Promise<InvariantReport> {
  const query = async <Row>(text: string, values: unknown[] = []) =>
    (await stack.database.pool.query(text, values)).rows as Row[];
  const violations: string[] = [];

  // No seat sold twice: counters, registrations and tickets agree, and never exceed what is for sale.
  for (const row of await query<{ id: string; quantity: number; sold: number; held: number }>(
    `select t.id, t.quantity, t.sold, coalesce(sum(r.quantity) filter (where r.status in ('pending', 'confirmed')), 0)::int as held
       from ticketing.ticket_types t left join ticketing.registrations r on r.ticket_type_id = t.id
      group by t.id`,
  )) {
    if (row.sold !== row.held)
      violations.push(`ticket type ${row.id}: sold counter ${row.sold}, registrations ${row.held}`);
    if (row.held > row.quantity) violations.push(`ticket type ${row.id}: ${row.held} seats sold of ${row.quantity}`);
  }
  let seatsTaken = 0;
  for (const row of await query<{ id: string; capacity: number; taken: number; held: number; tickets: number }>(
    `select e.id, e.capacity, e.taken,
            (select coalesce(sum(quantity), 0)::int from ticketing.registrations r
              where r.event_id = e.id and r.status in ('pending', 'confirmed')) as held,
            (select count(*)::int from ticketing.tickets k join ticketing.registrations r on r.id = k.registration_id
              where r.event_id = e.id and r.status in ('pending', 'confirmed')) as tickets
       from ticketing.events e`,
  )) {
    seatsTaken += row.held;
    if (row.taken !== row.held)
      violations.push(`event ${row.id}: taken counter ${row.taken}, registrations ${row.held}`);
    if (row.held > row.capacity) violations.push(`event ${row.id}: ${row.held} seats sold of capacity ${row.capacity}`);
    if (row.tickets !== row.held) violations.push(`event ${row.id}: ${row.tickets} tickets for ${row.held} seats`);
  }
  const duplicateCodes = await query<{ code: string }>(
    'select code from ticketing.tickets group by code having count(*) > 1',
  );
  for (const { code } of duplicateCodes) violations.push(`ticket code ${code} issued twice`);

  // No acknowledged registration lost.
  const ids = [...acknowledged];
  const known = new Set(
    (await query<{ id: string }>('select id from ticketing.registrations where id = any($1::uuid[])', [ids])).map(
      (row) => row.id,
    ),
  );
  for (const id of ids) if (!known.has(id)) violations.push(`registration ${id} was answered 201 but is not stored`);

  // No committed registration missing downstream: analytics and (for paid ones) payments know it as it is.
  for (const row of await query<{
    id: string;
    status: string;
    amount: number;
    analytics: string | null;
    hold: string | null;
  }>(
    `select r.id, r.status, r.amount, a.status as analytics, h.status as hold
       from ticketing.registrations r
       left join analytics.registrations a on a.registration_id = r.id
       left join payments.holds h on h.registration_id = r.id`,
  )) {
    if (row.analytics !== row.status)
      violations.push(`registration ${row.id} is ${row.status}, analytics says ${row.analytics}`);
    if (row.amount > 0 && row.hold !== row.status)
      violations.push(`registration ${row.id} is ${row.status}, payments says ${row.hold}`);
  }

  // Every succeeded payment ends in a confirmed registration, or is refunded.
  const succeededAtStripe = stack.stripe
    .events()
    .filter((event) => event.type === 'payment_intent.succeeded')
    .map((event) => (event.data.object as { id: string }).id);
  const payments = await query<{ intent: string | null; status: string; registration: string | null }>(
    `select p.stripe_payment_intent_id as intent, p.status, r.status as registration
       from payments.payments p left join ticketing.registrations r on r.id = p.registration_id`,
  );
  const byIntent = new Map(payments.map((payment) => [payment.intent, payment]));
  for (const intent of succeededAtStripe) {
    const payment = byIntent.get(intent);
    if (!payment) violations.push(`Stripe intent ${intent} succeeded, payments has no record of it`);
    else if (payment.status === 'pending' || payment.status === 'failed')
      violations.push(`Stripe intent ${intent} succeeded, payment is ${payment.status}`);
  }
  for (const payment of payments) {
    const paid = payment.status === 'succeeded' || payment.status === 'partially_refunded';
    if (paid && payment.registration !== 'confirmed')
      violations.push(`payment of ${payment.intent} ${payment.status}, registration ${payment.registration}`);
  }

  // No hold alive past its expiry plus a margin.
  const stale = await query<{ id: string }>(
    `select id from ticketing.registrations
      where status = 'pending' and expires_at < now() - make_interval(secs => $1)`,
    [holdMarginSeconds],
  );
  for (const { id } of stale) violations.push(`hold ${id} alive past its expiry`);

  // Analytics figures equal the source tables.
  for (const sale of sales) {
    const [source] = await query<Record<string, number>>(
      `select count(*) filter (where status = 'confirmed')::int as confirmed,
              count(*) filter (where status = 'pending')::int as pending,
              count(*) filter (where status = 'cancelled')::int as cancelled,
              count(*) filter (where status = 'expired')::int as expired,
              coalesce(sum(quantity) filter (where status = 'confirmed'), 0)::int as "ticketsSold",
              (select coalesce(sum(amount), 0)::int from payments.payments
                where event_id = $1 and succeeded_at is not null) as gross,
              (select coalesce(sum(refunded_amount), 0)::int from payments.payments where event_id = $1) as refunded
         from ticketing.registrations where event_id = $1`,
      [sale.eventId],
    );
    const response = await fetch(`${stack.baseUrl}/api/analytics/events/${sale.eventId}/summary`, {
      headers: sale.organizer.headers,
    }).catch(() => undefined);
    if (!response?.ok) {
      violations.push(`analytics summary of ${sale.eventId} answered ${response?.status ?? 'nothing'}`);
      continue;
    }
    const summary = await response.json();
    const reported: Record<string, number> = {
      ...summary.registrations,
      ticketsSold: summary.ticketsSold,
      gross: summary.revenue.gross,
      refunded: summary.revenue.refunded,
    };
    for (const [figure, value] of Object.entries(source ?? {})) {
      if (reported[figure] !== value)
        violations.push(`event ${sale.eventId}: ${figure} ${value}, analytics says ${reported[figure]}`);
    }
  }

  const registrations = Object.fromEntries(
    (
      await query<{ status: string; n: number }>(
        'select status, count(*)::int as n from ticketing.registrations group by status',
      )
    ).map((row) => [row.status, row.n]),
  );
  const paymentsByStatus = Object.fromEntries(
    (
      await query<{ status: string; n: number }>(
        'select status, count(*)::int as n from payments.payments group by status',
      )
    ).map((row) => [row.status, row.n]),
  );
  return {
    violations,
    figures: { registrations, seatsTaken, paymentsSucceededAtStripe: succeededAtStripe.length, paymentsByStatus },
  };
}

/** The invariants once the system has settled: consumers caught up, holds swept, webhooks applied. */
export function settledInvariants(...args: Parameters<typeof checkInvariants>): Promise<InvariantReport> {
  return eventually(
    () => checkInvariants(...args),
    (report) => report.violations.length === 0,
    120_000,
  );
}
