import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describeProblem } from '../../api/problem';
import type { EchoEvent, Registration } from '../../api/types';
import { useApi } from '../../app/app-services';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { QrCode } from '../../components/qr-code';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime, formatSpan } from '../../format/dates';
import { formatPrice } from '../../format/money';

interface RegistrationCardProps {
  registration: Registration;
  event?: EchoEvent;
  ticketTypeName?: string;
  onChange(registration: Registration): void;
  headingLevel?: 2 | 3;
}

/** One registration: its code, one QR code per ticket, and the way out (cancel). */
export function RegistrationCard({
  registration,
  event,
  ticketTypeName,
  onChange,
  headingLevel = 2,
}: RegistrationCardProps) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const active = registration.status === 'confirmed' || registration.status === 'pending';
  const paid = registration.amount > 0 && registration.status === 'confirmed';

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await api.ticketing.cancel(registration.id));
      setConfirming(false);
    } catch (failure) {
      setError(describeProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card registration" aria-label={`Registration ${registration.code}`}>
      <header className="registration-header">
        <Heading>{event ? <Link to={`/events/${event.id}`}>{event.name}</Link> : 'Event'}</Heading>
        <StatusBadge status={registration.status} />
      </header>
      {event && <p className="meta">{formatSpan(event.startTime, event.endTime)}</p>}
      <p>
        {registration.quantity} × {ticketTypeName ?? 'ticket'} ·{' '}
        {formatPrice(registration.amount, registration.currency)}
      </p>
      <p className="confirmation-code">
        Confirmation code <strong data-testid="confirmation-code">{registration.code}</strong>
      </p>
      {registration.refundRequested && <p className="hint">A refund was requested for this registration.</p>}
      {registration.status === 'pending' && (
        <p>
          Awaiting payment{registration.expiresAt ? ` (held until ${formatDateTime(registration.expiresAt)})` : ''}.{' '}
          <Link to={`/events/${registration.eventId}/register?registration=${registration.id}`}>Complete payment</Link>
        </p>
      )}
      {registration.status === 'confirmed' && (
        <ul className="tickets">
          {registration.tickets.map((ticket, index) => (
            <li key={ticket.id} className="ticket">
              <QrCode value={ticket.code} label={`QR code of ticket ${index + 1}, code ${ticket.code}`} />
              <p>
                Ticket {index + 1}: <code>{ticket.code}</code>
              </p>
              {ticket.checkedInAt && <p className="hint">Checked in {formatDateTime(ticket.checkedInAt)}</p>}
            </li>
          ))}
        </ul>
      )}
      {active && (
        <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
          Cancel registration
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title="Cancel this registration?"
          confirmLabel="Yes, cancel it"
          cancelLabel="Keep it"
          tone="danger"
          busy={busy}
          error={error}
          onConfirm={cancel}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Your {registration.quantity === 1 ? 'seat is' : `${registration.quantity} seats are`} released
            {paid ? ` and ${formatPrice(registration.amount, registration.currency)} is refunded to your card` : ''}.
          </p>
        </ConfirmDialog>
      )}
    </article>
  );
}
