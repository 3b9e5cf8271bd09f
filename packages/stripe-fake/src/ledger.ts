import { StripeApiError, stripeErrors } from './errors';
import type { Params } from './form';
import {
  type Charge,
  type ListObject,
  nowSeconds,
  type PaymentIntent,
  type Refund,
  type StripeObject,
  stripeId,
} from './objects';
import { paymentMethodObject, testCards } from './test-payment-methods';

export type EmitEvent = (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) => void;

const cancelableStatuses = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const cancellationReasons = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];
const refundReasons = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** The account's objects and the state machine of a card PaymentIntent with automatic capture. */
export class Ledger {
  private readonly paymentIntents = new Map<string, PaymentIntent>();
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();

  constructor(private readonly emit: EmitEvent) {}

  createPaymentIntent(params: Params): PaymentIntent {
    const amount = params.integer('amount', { required: true }) as number;
    if (amount < 1) throw stripeErrors.amountTooSmall();
    const currency = params.string('currency', { required: true }) as string;
    if (!/^[a-z]{3}$/.test(currency)) throw stripeErrors.invalidValue('currency', `Invalid currency: ${currency}`);
    const automatic = params.object('automatic_payment_methods');
    // `allowed_payment_method_types` since API version 2026-10-28; older clients send `payment_method_types`.
    const paymentMethodTypes = params.strings('allowed_payment_method_types') ?? params.strings('payment_method_types');
    const paymentMethod = params.string('payment_method');
    if (paymentMethod) this.requireTestCard(paymentMethod);
    const confirm = params.boolean('confirm');
    const id = stripeId('pi');
    const intent: PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: paymentMethodTypes ?? null,
      amount,
      amount_capturable: 0,
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: automatic || !paymentMethodTypes ? { enabled: automatic?.enabled !== 'false' } : null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${stripeId('s', 25).slice(2)}`,
      confirmation_method: 'automatic',
      created: nowSeconds(),
      currency,
      customer: params.string('customer') ?? null,
      customer_account: null,
      description: params.string('description') ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: params.metadata() ?? {},
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: null,
      payment_method_types: paymentMethodTypes ?? ['card'],
      processing: null,
      receipt_email: params.string('receipt_email') ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    this.paymentIntents.set(id, intent);
    if (paymentMethod) {
      intent.payment_method = paymentMethod;
      intent.status = 'requires_confirmation';
      if (confirm) return this.charge(intent, paymentMethod);
    }
    return snapshot(intent);
  }

  retrievePaymentIntent(id: string): PaymentIntent {
    return snapshot(this.requirePaymentIntent(id));
  }

  /** Newest first, like every Stripe list. */
  listPaymentIntents(params: Params): ListObject<PaymentIntent> {
    const customer = params.string('customer');
    return page(
      [...this.paymentIntents.values()].filter((intent) => !customer || intent.customer === customer),
      params,
      '/v1/payment_intents',
    );
  }

  /** Confirms with a test payment method: a charge succeeds or is declined like in Stripe's test mode. */
  confirmPaymentIntent(id: string, params: Params): PaymentIntent {
    const intent = this.requirePaymentIntent(id);
    if (intent.status === 'succeeded') {
      throw stripeErrors.unexpectedState(
        'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
        snapshot(intent),
      );
    }
    if (intent.status === 'canceled') {
      throw stripeErrors.unexpectedState(
        'You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.',
        snapshot(intent),
      );
    }
    const paymentMethod = params.string('payment_method') ?? intent.payment_method;
    if (!paymentMethod) {
      throw stripeErrors.unexpectedState(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.",
        snapshot(intent),
      );
    }
    this.requireTestCard(paymentMethod);
    return this.charge(intent, paymentMethod);
  }

  cancelPaymentIntent(id: string, params: Params): PaymentIntent {
    const intent = this.requirePaymentIntent(id);
    const reason = params.string('cancellation_reason', { oneOf: cancellationReasons });
    if (!cancelableStatuses.includes(intent.status)) {
      throw stripeErrors.unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelableStatuses.join(', ')}.`,
        snapshot(intent),
      );
    }
    const previous = { status: intent.status, canceled_at: null, cancellation_reason: null };
    intent.status = 'canceled';
    intent.canceled_at = nowSeconds();
    intent.cancellation_reason = reason ?? null;
    this.emit('payment_intent.canceled', snapshot(intent), previous);
    return snapshot(intent);
  }

  createRefund(params: Params): Refund {
    const paymentIntentId = params.string('payment_intent');
    const chargeId = params.string('charge');
    if (!paymentIntentId && !chargeId) throw stripeErrors.parameterMissing('payment_intent');
    const amount = params.integer('amount');
    const reason = params.string('reason', { oneOf: refundReasons });
    const metadata = params.metadata() ?? {};
    const charge = chargeId ? this.charges.get(chargeId) : this.succeededChargeOf(paymentIntentId as string);
    if (!charge) {
      if (chargeId) throw stripeErrors.resourceMissing('charge', chargeId, 'charge');
      throw stripeErrors.nothingToRefund(paymentIntentId as string);
    }
    if (paymentIntentId && charge.payment_intent !== paymentIntentId) {
      throw stripeErrors.invalidValue('charge', 'The charge does not belong to the given payment_intent.');
    }
    const refundable = charge.amount_captured - charge.amount_refunded;
    if (refundable <= 0) throw stripeErrors.chargeAlreadyRefunded(charge.id);
    const refundAmount = amount ?? refundable;
    if (refundAmount < 1) throw stripeErrors.amountTooSmall();
    if (refundAmount > refundable) throw stripeErrors.refundAmountTooLarge(refundAmount, refundable);

    const refund: Refund = {
      id: stripeId('re'),
      object: 'refund',
      amount: refundAmount,
      balance_transaction: null,
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      customer: null,
      customer_account: null,
      metadata,
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      // Card refunds in test mode succeed at once.
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += refundAmount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    this.emit('charge.refunded', snapshot(charge), previous);
    return snapshot(refund);
  }

  retrieveRefund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw stripeErrors.resourceMissing('refund', id);
    return snapshot(refund);
  }

  /** Newest first, like every Stripe list; `payment_intent` or `charge` narrow it. */
  listRefunds(params: Params): ListObject<Refund> {
    const paymentIntentId = params.string('payment_intent');
    const chargeId = params.string('charge');
    const limit = params.integer('limit') ?? 10;
    if (limit < 1 || limit > 100) throw stripeErrors.invalidValue('limit', 'limit must be between 1 and 100');
    const startingAfter = params.string('starting_after');
    let all = [...this.refunds.values()]
      .filter((refund) => !paymentIntentId || refund.payment_intent === paymentIntentId)
      .filter((refund) => !chargeId || refund.charge === chargeId)
      .reverse();
    if (startingAfter) {
      const index = all.findIndex((refund) => refund.id === startingAfter);
      all = index >= 0 ? all.slice(index + 1) : [];
    }
    return {
      object: 'list',
      data: all.slice(0, limit).map(snapshot),
      has_more: all.length > limit,
      url: '/v1/refunds',
    };
  }

  private charge(intent: PaymentIntent, paymentMethod: string): PaymentIntent {
    const card = this.requireTestCard(paymentMethod);
    const charge: Charge = {
      id: stripeId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: card.decline ? 0 : intent.amount,
      amount_refunded: 0,
      captured: !card.decline,
      created: nowSeconds(),
      currency: intent.currency,
      description: intent.description,
      failure_code: card.decline ? 'card_declined' : null,
      failure_message: card.decline?.message ?? null,
      livemode: false,
      metadata: intent.metadata,
      outcome: card.decline
        ? {
            network_status: 'declined_by_network',
            reason: card.decline.declineCode,
            risk_level: 'normal',
            seller_message: card.decline.sellerMessage,
            type: 'issuer_declined',
          }
        : {
            network_status: 'approved_by_network',
            reason: null,
            risk_level: 'normal',
            seller_message: 'Payment complete.',
            type: 'authorized',
          },
      paid: !card.decline,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      refunded: false,
      status: card.decline ? 'failed' : 'succeeded',
    };
    this.charges.set(charge.id, charge);
    const previous = { status: intent.status };
    intent.latest_charge = charge.id;

    if (card.decline) {
      const method = paymentMethodObject(paymentMethod, card);
      intent.status = 'requires_payment_method';
      intent.payment_method = null;
      intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: card.decline.declineCode,
        message: card.decline.message,
        charge: charge.id,
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        payment_method: method,
      };
      this.emit('payment_intent.payment_failed', snapshot(intent), previous);
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: card.decline.declineCode,
        message: card.decline.message,
        charge: charge.id,
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        payment_intent: snapshot(intent),
        payment_method: method,
      });
    }

    intent.status = 'succeeded';
    intent.payment_method = paymentMethod;
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    this.emit('payment_intent.succeeded', snapshot(intent), previous);
    return snapshot(intent);
  }

  private succeededChargeOf(paymentIntentId: string): Charge | undefined {
    const intent = this.requirePaymentIntent(paymentIntentId, 'payment_intent');
    if (intent.status !== 'succeeded' || !intent.latest_charge) return undefined;
    return this.charges.get(intent.latest_charge);
  }

  private requirePaymentIntent(id: string, param = 'id'): PaymentIntent {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw stripeErrors.resourceMissing('payment_intent', id, param);
    return intent;
  }

  private requireTestCard(paymentMethod: string) {
    const card = testCards[paymentMethod];
    if (!card) throw stripeErrors.resourceMissing('PaymentMethod', paymentMethod, 'payment_method');
    return card;
  }
}

/** A page of a list in creation order, newest first, after `starting_after` if given. */
function page<T extends { id: string }>(all: T[], params: Params, url: string): ListObject<T> {
  const limit = params.integer('limit') ?? 10;
  if (limit < 1 || limit > 100) throw stripeErrors.invalidValue('limit', 'limit must be between 1 and 100');
  const startingAfter = params.string('starting_after');
  let newestFirst = [...all].reverse();
  if (startingAfter) {
    const index = newestFirst.findIndex((item) => item.id === startingAfter);
    newestFirst = index >= 0 ? newestFirst.slice(index + 1) : [];
  }
  return { object: 'list', data: newestFirst.slice(0, limit).map(snapshot), has_more: newestFirst.length > limit, url };
}

/** Objects leave the ledger as copies, so an event or response never changes after it was made. */
function snapshot<T>(object: T): T {
  return structuredClone(object);
}
