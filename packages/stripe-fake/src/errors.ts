/** The body Stripe sends with every failed request: `{ error: { type, code?, message, ... } }`. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: object;
  payment_method?: object;
  request_log_url?: string;
}

/**
 * A request Stripe refuses. `remembered` says whether an idempotent replay returns it again: Stripe
 * saves the result once an endpoint started executing, not for requests that failed validation.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly remembered = true,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

const docs = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;

export const stripeErrors = {
  parameterMissing: (param: string) =>
    new StripeApiError(
      400,
      {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param,
        message: `Missing required param: ${param}.`,
        doc_url: docs('parameter_missing'),
      },
      false,
    ),
  parameterUnknown: (param: string) =>
    new StripeApiError(
      400,
      {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param,
        message: `Received unknown parameter: ${param}`,
        doc_url: docs('parameter_unknown'),
      },
      false,
    ),
  invalidInteger: (param: string, value: unknown) =>
    new StripeApiError(
      400,
      {
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param,
        message: `Invalid integer: ${String(value)}`,
        doc_url: docs('parameter_invalid_integer'),
      },
      false,
    ),
  invalidValue: (param: string, message: string) =>
    new StripeApiError(400, { type: 'invalid_request_error', param, message }, false),
  amountTooSmall: () =>
    new StripeApiError(
      400,
      {
        type: 'invalid_request_error',
        code: 'amount_too_small',
        param: 'amount',
        message: 'Amount must be at least 1 in the smallest currency unit.',
        doc_url: docs('amount_too_small'),
      },
      false,
    ),
  resourceMissing: (kind: string, id: string, param = 'id') =>
    new StripeApiError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param,
      message: `No such ${kind}: '${id}'`,
      doc_url: docs('resource_missing'),
    }),
  unexpectedState: (message: string, paymentIntent: object) =>
    new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message,
      payment_intent: paymentIntent,
      doc_url: docs('payment_intent_unexpected_state'),
    }),
  chargeAlreadyRefunded: (chargeId: string) =>
    new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'charge_already_refunded',
      message: `Charge ${chargeId} has already been refunded.`,
      doc_url: docs('charge_already_refunded'),
    }),
  refundAmountTooLarge: (requested: number, refundable: number) =>
    new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount',
      message: `Refund amount (${requested}) is greater than unrefunded amount on charge (${refundable})`,
      doc_url: docs('amount_too_large'),
    }),
  nothingToRefund: (paymentIntentId: string) =>
    new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'charge_not_refundable',
      message: `This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`,
      doc_url: docs('charge_not_refundable'),
    }),
  missingApiKey: () =>
    new StripeApiError(
      401,
      {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      },
      false,
    ),
  invalidApiKey: (key: string) =>
    new StripeApiError(
      401,
      { type: 'invalid_request_error', message: `Invalid API Key provided: ${maskKey(key)}` },
      false,
    ),
  unrecognizedUrl: (method: string, path: string) =>
    new StripeApiError(
      404,
      {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
      false,
    ),
  idempotencyEndpointMismatch: (key: string, firstPath: string, path: string) =>
    new StripeApiError(
      400,
      {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${path}' vs '${firstPath}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      },
      false,
    ),
  idempotencyParamsMismatch: (key: string) =>
    new StripeApiError(
      400,
      {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      },
      false,
    ),
};

/** Stripe never echoes a whole key: `sk_test_****wxyz`. */
function maskKey(key: string): string {
  const prefix = key.match(/^(sk|pk|rk)_(test|live)_/)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}
