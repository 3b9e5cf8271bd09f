import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../api/client';
import { paymentIntentIdOf } from '../api/payments-api';
import { ApiProblem } from '../api/problem';
import type { TestPaymentMethod } from '../api/types';
import { useApi } from '../app/app-services';
import { TextField } from '../components/fields';
import { FormAlert } from '../components/form-alert';
import { formatMoney } from '../format/money';
import { useFormSubmit } from '../hooks/use-form-submit';

/** Stripe's documented test card numbers and the payment methods the fake Stripe accepts for them. */
export const testCards: Record<string, { method: TestPaymentMethod; label: string }> = {
  '4242424242424242': { method: 'pm_card_visa', label: 'Visa, succeeds' },
  '4000000000000002': { method: 'pm_card_chargeDeclined', label: 'Declined' },
  '4000000000009995': { method: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Declined, insufficient funds' },
};

interface TestCardFormProps {
  registrationId: string;
  amount: number;
  currency: string;
  onPaid(): void;
}

/**
 * Payment against the in-repo fake Stripe: the same intent and webhook path as real payments, with
 * the card chosen from Stripe's test numbers instead of typed into Stripe's iframe.
 */
export function TestCardForm({ registrationId, amount, currency, onPaid }: TestCardFormProps) {
  const api = useApi();
  const [cardNumber, setCardNumber] = useState('4242 4242 4242 4242');
  const [expiry, setExpiry] = useState('12 / 34');
  const [cvc, setCvc] = useState('123');
  const intentKey = useRef(newIdempotencyKey());
  const form = useFormSubmit();

  const submit = form.onSubmit(
    async () => {
      const card = testCards[cardNumber.replace(/\D/g, '')]!;
      const intent = await api.payments.createIntent(registrationId, intentKey.current);
      const outcome = await api.payments.confirmWithTestCard(paymentIntentIdOf(intent.clientSecret), card.method);
      if (outcome.error) {
        form.fail(
          new ApiProblem({
            status: 402,
            code: outcome.error.code,
            detail: outcome.error.message,
            errors: [{ path: 'cardNumber', message: outcome.error.message }],
          }),
        );
        return;
      }
      onPaid();
    },
    () => {
      const errors: Record<string, string> = {};
      if (!testCards[cardNumber.replace(/\D/g, '')]) errors.cardNumber = 'Use one of the test cards listed below.';
      if (!/^\d{2}\s*\/\s*\d{2}$/.test(expiry.trim())) errors.expiry = 'Use the form MM / YY.';
      if (!/^\d{3,4}$/.test(cvc.trim())) errors.cvc = 'Three or four digits.';
      return errors;
    },
  );

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="stack" aria-label="Test card payment">
      <p className="dev-note">
        <strong>Test mode.</strong> No real money moves. Test cards:{' '}
        {Object.entries(testCards)
          .map(([number, card]) => `${number.replace(/(\d{4})(?=\d)/g, '$1 ')} (${card.label})`)
          .join('; ')}
        .
      </p>
      <FormAlert message={form.summary} />
      <TextField
        label="Card number"
        name="cardNumber"
        inputMode="numeric"
        autoComplete="cc-number"
        value={cardNumber}
        onChange={(event) => {
          setCardNumber(event.target.value);
          form.clearError('cardNumber');
        }}
        error={form.errors.cardNumber}
      />
      <div className="row">
        <TextField
          label="Expiry"
          name="expiry"
          autoComplete="cc-exp"
          value={expiry}
          onChange={(event) => setExpiry(event.target.value)}
          error={form.errors.expiry}
        />
        <TextField
          label="CVC"
          name="cvc"
          inputMode="numeric"
          autoComplete="cc-csc"
          value={cvc}
          onChange={(event) => setCvc(event.target.value)}
          error={form.errors.cvc}
        />
      </div>
      <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? 'Paying…' : `Pay ${formatMoney(amount, currency)}`}
      </button>
    </form>
  );
}
