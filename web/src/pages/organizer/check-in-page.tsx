import { useReducer, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiProblem, describeProblem } from '../../api/problem';
import { useApi } from '../../app/app-services';
import { FormAlert } from '../../components/form-alert';
import { LiveIndicator } from '../../components/live-indicator';
import { Loading } from '../../components/loading';
import { formatDateTime } from '../../format/dates';
import { useAsync } from '../../hooks/use-async';
import { useChannel } from '../../hooks/use-channel';
import { useDocumentTitle } from '../../hooks/use-document-title';
import type { ChannelMessage } from '../../realtime/realtime-client';
import { initialSales, type LiveSales, liveCheckIns, salesReducer } from '../../realtime/sales';
import { OrganizerEventNav } from './organizer-event-nav';
import { cameraScanningSupported, QrScanner } from './qr-scanner';

interface Outcome {
  id: number;
  code: string;
  tone: 'success' | 'warning' | 'error';
  text: string;
}

export function outcomeOf(code: string, error: unknown): Omit<Outcome, 'id'> {
  if (error instanceof ApiProblem && error.code === 'already_checked_in') {
    const at = typeof error.body.checkedInAt === 'string' ? ` at ${formatDateTime(error.body.checkedInAt)}` : '';
    return { code, tone: 'warning', text: `Already checked in${at}.` };
  }
  if (error instanceof ApiProblem && error.status === 404) {
    return { code, tone: 'error', text: 'Unknown code: no ticket of this event has it.' };
  }
  return { code, tone: 'error', text: describeProblem(error) };
}

export default function CheckInPage() {
  const { eventId = '' } = useParams();
  const api = useApi();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [scanning, setScanning] = useState(false);
  const [live, dispatchLive] = useReducer(
    (state: LiveSales, message: ChannelMessage) => salesReducer(state, message),
    initialSales,
  );
  const input = useRef<HTMLInputElement>(null);
  const sequence = useRef(0);
  const inFlight = useRef(new Set<string>());
  const base = useAsync(async () => {
    const [event, summary] = await Promise.all([
      api.events.get(eventId),
      api.analytics.summary(eventId).catch(() => null),
    ]);
    return { event, summary };
  }, [api, eventId]);
  useDocumentTitle(base.data ? `Check-in: ${base.data.event.name}` : 'Check-in');
  useChannel(base.data ? `organizer:${eventId}` : null, dispatchLive);

  const checkIn = async (raw: string) => {
    const ticketCode = raw.trim();
    if (!ticketCode || inFlight.current.has(ticketCode)) return;
    inFlight.current.add(ticketCode);
    setBusy(true);
    let outcome: Omit<Outcome, 'id'>;
    try {
      const result = await api.ticketing.checkIn(eventId, ticketCode);
      outcome = { code: ticketCode, tone: 'success', text: `Checked in (registration ${result.registration.code}).` };
    } catch (error) {
      outcome = outcomeOf(ticketCode, error);
    } finally {
      inFlight.current.delete(ticketCode);
      setBusy(false);
    }
    sequence.current += 1;
    const entry = { ...outcome, id: sequence.current };
    setOutcomes((current) => [entry, ...current].slice(0, 15));
  };

  if (base.loading) return <Loading label="Loading check-in" />;
  if (base.error || !base.data) {
    return (
      <section className="page narrow">
        <h1>Check-in</h1>
        <FormAlert message={describeProblem(base.error)} />
      </section>
    );
  }
  const { event, summary } = base.data;
  const checkedIn = liveCheckIns(live) ?? summary?.checkIns ?? 0;
  const sold = live.totals?.ticketsSold ?? summary?.ticketsSold;
  const latest = outcomes[0];

  return (
    <section className="page narrow">
      <OrganizerEventNav event={event} />
      <div className="page-title">
        <h1>Check-in</h1>
        <LiveIndicator />
      </div>
      <p className="counter" aria-live="polite">
        <span className="counter-value" data-testid="checked-in-count">
          {checkedIn}
        </span>{' '}
        checked in{sold !== undefined ? ` of ${sold} ${sold === 1 ? 'ticket' : 'tickets'}` : ''}
      </p>
      <form
        className="stack card"
        aria-label="Check a ticket in"
        onSubmit={async (submit) => {
          submit.preventDefault();
          const value = code;
          setCode('');
          await checkIn(value);
          input.current?.focus();
        }}
      >
        <div className="field">
          <label htmlFor="ticket-code">Ticket code</label>
          <input
            id="ticket-code"
            ref={input}
            value={code}
            onChange={(change) => setCode(change.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the page exists to type codes into this field
            autoFocus
          />
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy || !code.trim()} aria-busy={busy}>
            {busy ? 'Checking…' : 'Check in'}
          </button>
          {cameraScanningSupported() && !scanning && (
            <button type="button" className="button secondary" onClick={() => setScanning(true)}>
              Scan with camera
            </button>
          )}
        </div>
      </form>
      {scanning && <QrScanner onCode={(scanned) => void checkIn(scanned)} onStop={() => setScanning(false)} />}
      <div role="status" aria-live="assertive" className="check-in-result">
        {latest && (
          <p className={`outcome outcome-${latest.tone}`} data-testid="check-in-outcome">
            <code>{latest.code}</code>: {latest.text}
          </p>
        )}
      </div>
      {outcomes.length > 1 && (
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading">Earlier</h2>
          <ul className="outcomes">
            {outcomes.slice(1).map((outcome) => (
              <li key={outcome.id} className={`outcome-${outcome.tone}`}>
                <code>{outcome.code}</code>: {outcome.text}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
