export { StripeApiError, type StripeErrorBody } from './errors';
export type { Charge, PaymentIntent, PaymentMethod, Refund, StripeEvent } from './objects';
export {
  fakeApiVersion,
  type StripeConnection,
  type StripeFake,
  type StripeFakeOptions,
  startStripeFake,
} from './server';
export { testCards } from './test-payment-methods';
export {
  type DeliveryAttempt,
  type DeliveryOrder,
  type DeliveryPolicy,
  defaultDeliveryPolicy,
  signPayload,
} from './webhooks';
