import { useEffect, useRef, useState } from 'react';
import { newIdempotencyKey } from '../api/client';
import { describeProblem } from '../api/problem';
import { useApi } from '../app/app-services';
import { FormAlert } from '../components/form-alert';
import { Loading } from '../components/loading';
import { formatMoney } from '../format/money';

/** The few parts of Stripe.js this form uses. */
interface StripeJs {
  elements(options: { clientSecret: string; appearance?: unknown }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    redirect: 'if_required';
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}
interface StripeElements {
  create(type: 'payment'): { mount(target: HTMLElement): void; destroy(): void };
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

let stripeScript: Promise<void> | null = null;

/** Stripe.js must come from js.stripe.com (PCI); loaded only when somebody actually pays. */
function loadStripeJs(): Promise<void> {
  if (window.Stripe) return Promise.resolve();
  stripeScript ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      stripeScript = null;
      reject(new Error('Could not load the payment form from Stripe. Check your connection and try again.'));
    };
    document.head.append(script);
  });
  return stripeScript;
}

interface StripePaymentFormProps {
  publishableKey: string;
  registrationId: string;
  amount: number;
  currency: string;
  onPaid(): void;
}

/** Stripe's Payment Element: card data goes from the browser to Stripe, never through EchoPlex. */
export function StripePaymentForm({
  publishableKey,
  registrationId,
  amount,
  currency,
  onPaid,
}: StripePaymentFormProps) {
  const api = useApi();
  const mountPoint = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<{ stripe: StripeJs; elements: StripeElements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const intentKey = useRef(newIdempotencyKey());

  useEffect(() => {
    let element: { destroy(): void } | undefined;
    let current = true;
    (async () => {
      try {
        const [intent] = await Promise.all([
          api.payments.createIntent(registrationId, intentKey.current),
          loadStripeJs(),
        ]);
        if (!current || !window.Stripe || !mountPoint.current) return;
        const stripe = window.Stripe(publishableKey);
        const elements = stripe.elements({ clientSecret: intent.clientSecret });
        const payment = elements.create('payment');
        payment.mount(mountPoint.current);
        element = payment;
        setReady({ stripe, elements });
      } catch (failure) {
        if (current) setError(describeProblem(failure));
      }
    })();
    return () => {
      current = false;
      element?.destroy();
    };
  }, [api, publishableKey, registrationId]);

  const pay = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    const result = await ready.stripe.confirmPayment({
      elements: ready.elements,
      redirect: 'if_required',
      confirmParams: { return_url: window.location.href },
    });
    setBusy(false);
    if (result.error) setError(result.error.message ?? 'The payment did not go through.');
    else onPaid();
  };

  return (
    <form onSubmit={pay} className="stack" aria-label="Card payment">
      <FormAlert message={error} />
      {!ready && !error && <Loading label="Loading the secure payment form" />}
      <div ref={mountPoint} />
      <button type="submit" className="button primary" disabled={!ready || busy} aria-busy={busy}>
        {busy ? 'Paying…' : `Pay ${formatMoney(amount, currency)}`}
      </button>
    </form>
  );
}
