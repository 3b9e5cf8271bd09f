import { describe, expect, it } from 'vitest';
import { StripeApiError } from '../src/errors';
import { decodeForm, Params } from '../src/form';

describe("Stripe's form encoding", () => {
  it('decodes nested objects, indexed and appended arrays', () => {
    const body =
      'amount=2500&currency=eur&metadata[registrationId]=r%201&allowed_payment_method_types[0]=card&expand[]=latest_charge&expand[]=customer&a[b][c]=d';
    expect(decodeForm(body)).toEqual({
      amount: '2500',
      currency: 'eur',
      metadata: { registrationId: 'r 1' },
      allowed_payment_method_types: ['card'],
      expand: ['latest_charge', 'customer'],
      a: { b: { c: 'd' } },
    });
  });

  it('refuses prototype keys', () => {
    expect(() => decodeForm('metadata[__proto__][x]=1')).toThrow(StripeApiError);
  });

  it('validates parameters like the API does', () => {
    const params = new Params(decodeForm('amount=12x&currency=eur'), ['amount', 'currency']);
    expect(() => params.integer('amount')).toThrow(/Invalid integer/);
    expect(() => params.string('missing', { required: true })).toThrow(/Missing required param: missing/);
    expect(() => new Params(decodeForm('amount=1&shipping=x'), ['amount'])).toThrow(/unknown parameter: shipping/);
  });
});
