import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { newIdempotencyKey } from '../../api/client';
import { describeProblem } from '../../api/problem';
import type { Registration, RegistrationStatus, TicketType } from '../../api/types';
import { useApi } from '../../app/app-services';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { SelectField, TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../format/dates';
import { formatPrice, parseMajorAmount, toMajorAmount } from '../../format/money';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { OrganizerEventNav } from './organizer-event-nav';

const statuses: RegistrationStatus[] = ['confirmed', 'pending', 'cancelled', 'expired'];

export default function AttendeesPage() {
  const { eventId = '' } = useParams();
  const api = useApi();
  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  const [status, setStatus] = useState<RegistrationStatus | ''>('');
  const [rows, setRows] = useState<Registration[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [refunding, setRefunding] = useState<Registration | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const base = useAsync(async () => {
    const [event, ticketTypes] = await Promise.all([api.events.get(eventId), api.ticketing.ticketTypes(eventId)]);
    return { event, ticketTypes };
  }, [api, eventId]);
  const first = useAsync(
    () => api.ticketing.eventRegistrations(eventId, { q: appliedQuery || undefined, status: status || undefined }),
    [api, eventId, appliedQuery, status],
  );
  useDocumentTitle(base.data ? `Attendees: ${base.data.event.name}` : 'Attendees');

  useEffect(() => {
    if (!first.data) return;
    setRows(first.data.items);
    setCursor(first.data.nextCursor);
  }, [first.data]);

  // Search as the organizer types, without a request per keystroke.
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    clearTimeout(typing.current);
    typing.current = setTimeout(() => setAppliedQuery(query.trim()), 300);
    return () => clearTimeout(typing.current);
  }, [query]);

  const loadMore = async () => {
    if (!cursor) return;
    setMoreBusy(true);
    try {
      const page = await api.ticketing.eventRegistrations(eventId, {
        q: appliedQuery || undefined,
        status: status || undefined,
        cursor,
      });
      setRows((current) => [...current, ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setMoreBusy(false);
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const csv = await api.ticketing.attendeesCsv(eventId, appliedQuery || undefined);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `attendees-${eventId}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setExportError(describeProblem(error));
    } finally {
      setExporting(false);
    }
  };

  if (base.loading) return <Loading label="Loading attendees" />;
  if (base.error || !base.data) {
    return (
      <section className="page">
        <h1>Attendees</h1>
        <FormAlert message={describeProblem(base.error)} />
      </section>
    );
  }
  const { event, ticketTypes } = base.data;
  const typeName = (id: string) => ticketTypes.find((ticketType: TicketType) => ticketType.id === id)?.name ?? '–';

  return (
    <section className="page">
      <OrganizerEventNav event={event} />
      <div className="page-title">
        <h1>Attendees</h1>
        <button
          type="button"
          className="button secondary"
          onClick={exportCsv}
          disabled={exporting}
          aria-busy={exporting}
        >
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <FormAlert message={exportError} />
      <FormAlert tone="success" message={notice} />
      {/* biome-ignore lint/a11y/useSemanticElements: React's JSX types have no <search> element yet; the role makes the same landmark */}
      <form className="filters" role="search" aria-label="Attendees" onSubmit={(submit) => submit.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          name="q"
          placeholder="Code, name or email"
          value={query}
          onChange={(change) => setQuery(change.target.value)}
          className="grow"
        />
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(change) => setStatus(change.target.value as RegistrationStatus | '')}
        >
          <option value="">All</option>
          {statuses.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </SelectField>
      </form>
      {first.loading && rows.length === 0 ? (
        <Loading label="Loading registrations" />
      ) : first.error ? (
        <FormAlert message={describeProblem(first.error)} />
      ) : rows.length === 0 ? (
        <p>No registrations{appliedQuery || status ? ' match' : ' yet'}.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Registrations for {event.name}</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Ticket</th>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Checked in</th>
                <th scope="col">Registered</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((registration) => {
                const checkedIn = registration.tickets.filter((ticket) => ticket.checkedInAt).length;
                return (
                  <tr key={registration.id}>
                    <th scope="row">
                      <code>{registration.code}</code>
                    </th>
                    <td>
                      {registration.quantity} × {typeName(registration.ticketTypeId)}
                    </td>
                    <td>
                      <StatusBadge status={registration.status} />
                      {registration.refundRequested && <span className="hint"> refund requested</span>}
                    </td>
                    <td>{formatPrice(registration.amount, registration.currency)}</td>
                    <td>
                      {checkedIn} / {registration.tickets.length}
                    </td>
                    <td>{formatDateTime(registration.createdAt)}</td>
                    <td className="actions-cell">
                      {registration.status === 'confirmed' &&
                        registration.amount > 0 &&
                        !registration.refundRequested && (
                          <button
                            type="button"
                            className="button small secondary"
                            onClick={() => setRefunding(registration)}
                            aria-label={`Refund ${registration.code}`}
                          >
                            Refund
                          </button>
                        )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button
          type="button"
          className="button secondary load-more"
          onClick={loadMore}
          disabled={moreBusy}
          aria-busy={moreBusy}
        >
          {moreBusy ? 'Loading…' : 'Show more'}
        </button>
      )}
      {refunding && (
        <RefundDialog
          registration={refunding}
          onDone={(message) => {
            setRefunding(null);
            setNotice(message);
            first.reload();
          }}
          onCancel={() => setRefunding(null)}
        />
      )}
    </section>
  );
}

function RefundDialog({
  registration,
  onDone,
  onCancel,
}: {
  registration: Registration;
  onDone(message: string): void;
  onCancel(): void;
}) {
  const api = useApi();
  const [amount, setAmount] = useState(toMajorAmount(registration.amount, registration.currency));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useRef<{ body: string; key: string } | null>(null);

  const refund = async () => {
    const minor = parseMajorAmount(amount, registration.currency);
    if (minor === null || minor <= 0 || minor > registration.amount) {
      setError(`Enter an amount between 0 and ${formatPrice(registration.amount, registration.currency)}.`);
      return;
    }
    const body = {
      registrationId: registration.id,
      ...(minor === registration.amount ? {} : { amount: minor }),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    };
    const serialised = JSON.stringify(body);
    if (key.current?.body !== serialised) key.current = { body: serialised, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      const created = await api.payments.refund(body, key.current.key);
      const refunded = formatPrice(created.amount, registration.currency);
      onDone(
        created.status === 'failed'
          ? `The refund of ${refunded} for ${registration.code} failed.`
          : created.status === 'succeeded'
            ? `Refunded ${refunded} for ${registration.code}.`
            : `Refund of ${refunded} for ${registration.code} requested.`,
      );
    } catch (failure) {
      setError(describeProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={`Refund ${registration.code}?`}
      confirmLabel="Refund"
      tone="danger"
      busy={busy}
      error={error}
      onConfirm={refund}
      onCancel={onCancel}
    >
      <p>
        Paid: {formatPrice(registration.amount, registration.currency)}. A full refund cancels the registration; a
        partial one keeps it.
      </p>
      <TextField
        label="Amount to refund"
        name="amount"
        inputMode="decimal"
        value={amount}
        onChange={(change) => setAmount(change.target.value)}
      />
      <TextField
        label="Reason (optional)"
        name="reason"
        value={reason}
        onChange={(change) => setReason(change.target.value)}
      />
    </ConfirmDialog>
  );
}
