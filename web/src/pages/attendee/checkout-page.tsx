import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { newIdempotencyKey } from '../../api/client';
import { describeProblem } from '../../api/problem';
import type { AttendeeDetails, EchoEvent, Registration, TicketType } from '../../api/types';
import { useApi } from '../../app/app-services';
import { useAuth } from '../../auth/auth-context';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { Loading } from '../../components/loading';
import { formatSpan } from '../../format/dates';
import { formatPrice } from '../../format/money';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';
import { StripePaymentForm } from '../../payments/stripe-payment-form';
import { TestCardForm } from '../../payments/test-card-form';
import { useRegistrationConfirmation } from '../../payments/use-registration-confirmation';

type Step = 'details' | 'payment' | 'confirming';
const steps: { id: Step; label: string }[] = [
  { id: 'details', label: 'Attendee details' },
  { id: 'payment', label: 'Payment' },
  { id: 'confirming', label: 'Confirmation' },
];

/** Registration in three steps: who is coming, paying (paid tickets only), and the confirmation. */
export default function CheckoutPage() {
  const { eventId = '' } = useParams();
  const [params] = useSearchParams();
  const api = useApi();
  const navigate = useNavigate();
  const resumeId = params.get('registration');
  const loaded = useAsync(async () => {
    const [event, ticketTypes, resumed] = await Promise.all([
      api.events.get(eventId),
      api.ticketing.ticketTypes(eventId),
      resumeId ? api.ticketing.registration(resumeId) : Promise.resolve(null),
    ]);
    return { event, ticketTypes, resumed };
  }, [api, eventId, resumeId]);
  const [registration, setRegistration] = useState<Registration | null>(null);
  const [step, setStep] = useState<Step>('details');
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(loaded.data ? `Tickets for ${loaded.data.event.name}` : 'Tickets');

  useEffect(() => {
    const resumed = loaded.data?.resumed;
    if (resumed?.status === 'pending') {
      setRegistration(resumed);
      setStep('payment');
    } else if (resumed) {
      navigate(`/tickets/${resumed.id}`, { replace: true });
    }
  }, [loaded.data, navigate]);

  // Each step's heading takes focus so a screen reader hears where the flow went.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  if (loaded.loading) return <Loading label="Preparing your order" />;
  if (loaded.error || !loaded.data) {
    return (
      <section className="page narrow">
        <h1>Could not start the registration</h1>
        <FormAlert message={describeProblem(loaded.error)} />
        <Link to={`/events/${eventId}`}>Back to the event</Link>
      </section>
    );
  }

  const { event, ticketTypes } = loaded.data;
  const ticketTypeId = registration?.ticketTypeId ?? params.get('ticketType');
  const ticketType = ticketTypes.find((candidate) => candidate.id === ticketTypeId);
  if (!ticketType) {
    return (
      <section className="page narrow">
        <h1>Choose a ticket first</h1>
        <p>
          <Link to={`/events/${eventId}`}>Back to {event.name}</Link>
        </p>
      </section>
    );
  }
  const quantity = registration?.quantity ?? clampQuantity(Number(params.get('quantity') ?? 1), ticketType);

  return (
    <section className="page narrow checkout">
      <p>
        <Link to={`/events/${event.id}`}>← {event.name}</Link>
      </p>
      <ol className="steps" aria-label="Progress">
        {steps
          .filter((candidate) => ticketType.price > 0 || candidate.id !== 'payment')
          .map((candidate) => (
            <li
              key={candidate.id}
              aria-current={candidate.id === step ? 'step' : undefined}
              className={candidate.id === step ? 'current' : undefined}
            >
              {candidate.label}
            </li>
          ))}
      </ol>
      <OrderSummary event={event} ticketType={ticketType} quantity={quantity} registration={registration} />
      {step === 'details' && (
        <>
          <h1 ref={heading} tabIndex={-1}>
            Who is coming?
          </h1>
          <AttendeeStep
            event={event}
            ticketType={ticketType}
            quantity={quantity}
            onRegistered={(created) => {
              setRegistration(created);
              if (created.status === 'confirmed') navigate(`/tickets/${created.id}?new=1`);
              else setStep('payment');
            }}
          />
        </>
      )}
      {step === 'payment' && registration && (
        <>
          <h1 ref={heading} tabIndex={-1}>
            Payment
          </h1>
          <HoldCountdown expiresAt={registration.expiresAt} />
          <PaymentStep registration={registration} onPaid={() => setStep('confirming')} />
        </>
      )}
      {step === 'confirming' && registration && (
        <>
          <h1 ref={heading} tabIndex={-1}>
            Confirming your payment
          </h1>
          <Confirming registrationId={registration.id} />
        </>
      )}
    </section>
  );
}

function clampQuantity(requested: number, ticketType: TicketType): number {
  if (!Number.isInteger(requested)) return ticketType.minPerOrder;
  return Math.min(Math.max(requested, ticketType.minPerOrder), ticketType.maxPerOrder);
}

function OrderSummary({
  event,
  ticketType,
  quantity,
  registration,
}: {
  event: EchoEvent;
  ticketType: TicketType;
  quantity: number;
  registration: Registration | null;
}) {
  const total = registration?.amount ?? ticketType.price * quantity;
  return (
    <aside className="card order-summary" aria-label="Your order">
      <p>
        <strong>{event.name}</strong>
        <br />
        <span className="meta">{formatSpan(event.startTime, event.endTime)}</span>
      </p>
      <p>
        {quantity} × {ticketType.name} ({formatPrice(ticketType.price, ticketType.currency)})
      </p>
      <p className="total">
        Total: <strong>{formatPrice(total, registration?.currency ?? ticketType.currency)}</strong>
      </p>
    </aside>
  );
}

function AttendeeStep({
  event,
  ticketType,
  quantity,
  onRegistered,
}: {
  event: EchoEvent;
  ticketType: TicketType;
  quantity: number;
  onRegistered(registration: Registration): void;
}) {
  const api = useApi();
  const { user } = useAuth();
  const [attendees, setAttendees] = useState<AttendeeDetails[]>(() =>
    Array.from({ length: quantity }, (_, index) =>
      index === 0 && user
        ? { firstName: user.firstName, lastName: user.lastName, email: user.email }
        : { firstName: '', lastName: '', email: '' },
    ),
  );
  // The same key while the request is the same: a retried click cannot register twice.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const form = useFormSubmit();

  const update = (index: number, field: keyof AttendeeDetails, value: string) => {
    setAttendees((current) => current.map((attendee, i) => (i === index ? { ...attendee, [field]: value } : attendee)));
    form.clearError(`attendees.${index}.${field}`);
  };

  const submit = form.onSubmit(
    async () => {
      const body = {
        eventId: event.id,
        ticketTypeId: ticketType.id,
        quantity,
        attendees: attendees.map((attendee) => ({
          firstName: attendee.firstName.trim(),
          lastName: attendee.lastName.trim(),
          email: attendee.email.trim(),
        })),
      };
      const serialised = JSON.stringify(body);
      if (attempt.current?.body !== serialised) attempt.current = { body: serialised, key: newIdempotencyKey() };
      onRegistered(await api.ticketing.register(body, attempt.current.key));
    },
    () => {
      const errors: Record<string, string> = {};
      attendees.forEach((attendee, index) => {
        if (!attendee.firstName.trim()) errors[`attendees.${index}.firstName`] = 'Enter a first name.';
        if (!attendee.lastName.trim()) errors[`attendees.${index}.lastName`] = 'Enter a last name.';
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(attendee.email.trim()))
          errors[`attendees.${index}.email`] = 'Enter a valid email address.';
      });
      return errors;
    },
  );

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="stack">
      <FormAlert message={form.summary} />
      {attendees.map((attendee, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one fieldset per ticket position, which never reorders
        <fieldset key={index} className="attendee">
          <legend>
            Ticket {index + 1} of {attendees.length}
          </legend>
          <div className="row">
            <TextField
              label="First name"
              name={`attendees.${index}.firstName`}
              autoComplete={index === 0 ? 'given-name' : 'off'}
              value={attendee.firstName}
              onChange={(change) => update(index, 'firstName', change.target.value)}
              error={form.errors[`attendees.${index}.firstName`]}
            />
            <TextField
              label="Last name"
              name={`attendees.${index}.lastName`}
              autoComplete={index === 0 ? 'family-name' : 'off'}
              value={attendee.lastName}
              onChange={(change) => update(index, 'lastName', change.target.value)}
              error={form.errors[`attendees.${index}.lastName`]}
            />
          </div>
          <TextField
            label="Email"
            type="email"
            name={`attendees.${index}.email`}
            autoComplete={index === 0 ? 'email' : 'off'}
            value={attendee.email}
            onChange={(change) => update(index, 'email', change.target.value)}
            error={form.errors[`attendees.${index}.email`]}
          />
        </fieldset>
      ))}
      <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? 'Reserving…' : ticketType.price > 0 ? 'Continue to payment' : 'Confirm registration'}
      </button>
    </form>
  );
}

function PaymentStep({ registration, onPaid }: { registration: Registration; onPaid(): void }) {
  const api = useApi();
  const config = useAsync(() => api.payments.config(), [api]);
  if (config.loading) return <Loading label="Loading payment options" />;
  if (config.error || !config.data) return <FormAlert message={describeProblem(config.error)} />;
  if (config.data.mode === 'stripe') {
    return (
      <StripePaymentForm
        publishableKey={config.data.publishableKey}
        registrationId={registration.id}
        amount={registration.amount}
        currency={registration.currency}
        onPaid={onPaid}
      />
    );
  }
  return (
    <TestCardForm
      registrationId={registration.id}
      amount={registration.amount}
      currency={registration.currency}
      onPaid={onPaid}
    />
  );
}

/** The seats are held until `expiresAt`; saying so prevents surprise when the hold lapses. */
function HoldCountdown({ expiresAt }: { expiresAt?: string | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (!expiresAt) return null;
  const remaining = Math.max(0, new Date(expiresAt).getTime() - now);
  const minutes = Math.floor(remaining / 60_000);
  const seconds = Math.floor((remaining % 60_000) / 1000);
  return (
    <p className="hold">
      {remaining > 0
        ? `Your seats are held for ${minutes}:${String(seconds).padStart(2, '0')} more.`
        : 'The hold has lapsed; if seats remain, paying now still gets them.'}
    </p>
  );
}

function Confirming({ registrationId }: { registrationId: string }) {
  const navigate = useNavigate();
  const outcome = useRegistrationConfirmation(registrationId);
  useEffect(() => {
    if (outcome.phase === 'settled' && outcome.registration.status === 'confirmed') {
      navigate(`/tickets/${registrationId}?new=1`, { replace: true });
    }
  }, [outcome, navigate, registrationId]);
  if (outcome.phase === 'settled' && outcome.registration.status !== 'confirmed') {
    return (
      <FormAlert
        message={`The registration was ${outcome.registration.status}${outcome.registration.refundRequested ? '; any payment is refunded' : ''}. Please try again.`}
      />
    );
  }
  return (
    <>
      <Loading label="Payment received, confirming your tickets" />
      {outcome.phase === 'slow' && (
        <p>
          This is taking longer than usual. You can keep waiting, or find the registration later under{' '}
          <Link to="/tickets">My tickets</Link>.
        </p>
      )}
    </>
  );
}
