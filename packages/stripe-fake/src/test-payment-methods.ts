import { nowSeconds, type PaymentMethod } from './objects';

export interface TestCard {
  brand: string;
  last4: string;
  /** Absent: the charge succeeds. */
  decline?: { declineCode: string; message: string; sellerMessage: string };
}

/**
 * Stripe's test payment methods that the fake understands, with the outcome Stripe's test mode gives
 * them. Only these ids exist: no card numbers ever reach the fake, as none reach our services.
 */
export const testCards: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    decline: {
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
      sellerMessage: 'The bank did not return any further details with this decline.',
    },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    decline: {
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      sellerMessage: 'The bank returned the decline code `insufficient_funds`.',
    },
  },
};

/** A test method is used as given (Stripe clones `pm_card_*` into a fresh `pm_…` on use; the id is enough here). */
export function paymentMethodObject(id: string, card: TestCard): PaymentMethod {
  return {
    id,
    object: 'payment_method',
    type: 'card',
    card: {
      brand: card.brand,
      last4: card.last4,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      funding: 'credit',
      country: 'US',
    },
    billing_details: { address: null, email: null, name: null, phone: null },
    created: nowSeconds(),
    customer: null,
    livemode: false,
    metadata: {},
  };
}
