import { useEffect, useReducer, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describeProblem, isProblemCode } from '../../api/problem';
import type { TicketType, TicketTypeStatus } from '../../api/types';
import { useApi } from '../../app/app-services';
import { useAuth } from '../../auth/auth-context';
import { LiveIndicator } from '../../components/live-indicator';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { formatSpan } from '../../format/dates';
import { formatPrice } from '../../format/money';
import { useAsync } from '../../hooks/use-async';
import { useChannel } from '../../hooks/use-channel';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { availabilityReducer, initialAvailability, type LiveAvailability } from '../../realtime/availability';

export interface ShownTicketType extends TicketType {
  soldOutNow: boolean;
}

/** What fetched ticket types look like with the live figures laid over them. */
export function withLiveAvailability(ticketTypes: TicketType[], live: LiveAvailability): ShownTicketType[] {
  return ticketTypes
    .filter((ticketType) => !live.ticketTypes[ticketType.id]?.removed)
    .map((ticketType) => {
      const current = live.ticketTypes[ticketType.id];
      const available = current?.available ?? ticketType.available;
      const status: TicketTypeStatus = current?.status ?? ticketType.status;
      return { ...ticketType, available, status, soldOutNow: available <= 0 || status === 'sold_out' };
    });
}

/** A per-tab id so analytics can tell visitors from views without any personal data. */
function analyticsSessionId(): string {
  const key = 'echoplex.analyticsSession';
  try {
    const existing = sessionStorage.getItem(key);
    if (existing) return existing;
    const created = crypto.randomUUID();
    sessionStorage.setItem(key, created);
    return created;
  } catch {
    return crypto.randomUUID();
  }
}

export default function EventPage() {
  const { eventId = '' } = useParams();
  const api = useApi();
  const { user } = useAuth();
  const navigate = useNavigate();
  const event = useAsync(() => api.events.get(eventId), [api, eventId]);
  const tickets = useAsync(() => api.ticketing.ticketTypes(eventId), [api, eventId]);
  const [live, dispatch] = useReducer(availabilityReducer, initialAvailability);
  const [announcement, setAnnouncement] = useState('');
  useDocumentTitle(event.data?.name);

  useChannel(event.data ? `event:${eventId}` : null, dispatch);

  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (event.data?.status !== 'published' || recorded.current === eventId) return;
    recorded.current = eventId;
    void api.analytics.recordPageView(eventId, analyticsSessionId(), document.referrer);
  }, [api, event.data, eventId]);

  // A ticket type created after the page loaded shows up live: fetch its name and price.
  const knownIds = new Set((tickets.data ?? []).map((ticketType) => ticketType.id));
  const unknownLive = Object.values(live.ticketTypes).some(
    (ticketType) => !ticketType.removed && !knownIds.has(ticketType.id),
  );
  const reloadTickets = tickets.reload;
  useEffect(() => {
    if (unknownLive && !tickets.loading) reloadTickets();
  }, [unknownLive, tickets.loading, reloadTickets]);

  const shown = withLiveAvailability(tickets.data ?? [], live);
  const soldOutNames = shown.filter((ticketType) => ticketType.soldOutNow).map((ticketType) => ticketType.name);
  const soldOutKey = soldOutNames.join('|');
  const previousSoldOut = useRef<string | null>(null);
  useEffect(() => {
    if (previousSoldOut.current !== null && soldOutKey !== previousSoldOut.current && soldOutKey) {
      setAnnouncement(`Sold out: ${soldOutKey.split('|').join(', ')}.`);
    }
    previousSoldOut.current = soldOutKey;
  }, [soldOutKey]);

  if (event.loading) return <Loading label="Loading event" />;
  if (event.error || !event.data) {
    return (
      <section className="page narrow">
        <h1>{isProblemCode(event.error, 'not_found') ? 'Event not found' : 'Could not load the event'}</h1>
        <p>{describeProblem(event.error)}</p>
        <p>
          <Link to="/events">Browse events</Link>
        </p>
      </section>
    );
  }

  const current = event.data;
  const status = live.status ?? current.status;
  const eventSoldOut = live.live ? Boolean(live.soldOut) : current.soldOut;
  const isOwner = user?.id === current.organizerId;

  return (
    <article className="page event-page">
      {current.imageUrl && <img className="event-hero" src={current.imageUrl} alt="" />}
      <header className="event-header">
        <h1>{current.name}</h1>
        <p className="meta">{formatSpan(current.startTime, current.endTime)}</p>
        <p className="meta">
          {current.online ? 'Online' : [current.location, current.city, current.country].filter(Boolean).join(', ')}
        </p>
        <p className="tags">
          {status !== 'published' && <StatusBadge status={status} />}
          {eventSoldOut && status === 'published' && <StatusBadge status="sold_out" />}
          {current.categories.map((category) => (
            <span key={category} className="tag">
              {category}
            </span>
          ))}
        </p>
        {isOwner && (
          <p>
            <Link to={`/organizer/events/${current.id}/edit`}>Manage this event</Link> ·{' '}
            <Link to={`/organizer/events/${current.id}/sales`}>Live sales</Link>
          </p>
        )}
      </header>
      <div className="event-layout">
        <section className="event-description" aria-label="About this event">
          {current.description ? (
            current.description.split(/\n{2,}/).map((paragraph) => <p key={paragraph}>{paragraph}</p>)
          ) : (
            <p className="hint">The organizer has not written a description yet.</p>
          )}
        </section>
        <section className="card ticket-panel" aria-labelledby="tickets-heading">
          <div className="panel-title">
            <h2 id="tickets-heading">Tickets</h2>
            <LiveIndicator />
          </div>
          <p className="visually-hidden" role="status" aria-live="polite">
            {announcement}
          </p>
          {status === 'cancelled' ? (
            <p className="form-alert error">This event was cancelled. Tickets are refunded automatically.</p>
          ) : tickets.loading ? (
            <Loading label="Loading tickets" />
          ) : tickets.error ? (
            <p className="form-alert error" role="alert">
              {describeProblem(tickets.error)}
            </p>
          ) : (
            <TicketChooser
              ticketTypes={shown}
              eventSoldOut={eventSoldOut}
              registrable={status === 'published' && !isOwner && user?.role !== 'organizer'}
              organizerViewing={user?.role === 'organizer'}
              onChoose={(ticketTypeId, quantity) => {
                const target = `/events/${current.id}/register?ticketType=${ticketTypeId}&quantity=${quantity}`;
                navigate(user ? target : `/login?next=${encodeURIComponent(target)}`);
              }}
            />
          )}
        </section>
      </div>
    </article>
  );
}

interface ChooserProps {
  ticketTypes: ShownTicketType[];
  eventSoldOut: boolean;
  registrable: boolean;
  organizerViewing: boolean;
  onChoose(ticketTypeId: string, quantity: number): void;
}

function availabilityText(ticketType: ShownTicketType): string {
  if (ticketType.soldOutNow) return 'Sold out';
  if (ticketType.status === 'scheduled') return 'Not on sale yet';
  if (ticketType.status === 'ended') return 'Sales ended';
  return `${ticketType.available} left`;
}

export function TicketChooser({ ticketTypes, eventSoldOut, registrable, organizerViewing, onChoose }: ChooserProps) {
  const buyable = ticketTypes.filter((ticketType) => !ticketType.soldOutNow && ticketType.status === 'on_sale');
  const [selected, setSelected] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const chosen = buyable.find((ticketType) => ticketType.id === selected) ?? buyable[0];
  const maxQuantity = chosen ? Math.max(chosen.minPerOrder, Math.min(chosen.maxPerOrder, chosen.available, 10)) : 1;
  const quantities = chosen
    ? Array.from({ length: maxQuantity - chosen.minPerOrder + 1 }, (_, index) => chosen.minPerOrder + index)
    : [];
  const effectiveQuantity = quantities.includes(quantity) ? quantity : (quantities[0] ?? 1);

  if (ticketTypes.length === 0) return <p className="hint">No tickets are on offer yet.</p>;
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) onChoose(chosen.id, effectiveQuantity);
      }}
    >
      {eventSoldOut && (
        <p className="sold-out-banner" role="status">
          Sold out
        </p>
      )}
      <fieldset className="ticket-options">
        <legend className="visually-hidden">Ticket type</legend>
        {ticketTypes.map((ticketType) => {
          const disabled = ticketType.soldOutNow || ticketType.status !== 'on_sale' || !registrable;
          return (
            <label
              key={ticketType.id}
              className={`ticket-option${disabled ? ' disabled' : ''}`}
              data-ticket-type={ticketType.name}
            >
              <input
                type="radio"
                name="ticketType"
                value={ticketType.id}
                checked={chosen?.id === ticketType.id}
                disabled={disabled}
                onChange={() => setSelected(ticketType.id)}
              />
              <span className="ticket-name">
                <strong>{ticketType.name}</strong>
                {ticketType.description && <span className="hint">{ticketType.description}</span>}
              </span>
              <span className="ticket-price">{formatPrice(ticketType.price, ticketType.currency)}</span>
              <span
                className={`availability${ticketType.soldOutNow ? ' sold-out' : ''}`}
                data-testid={`available-${ticketType.id}`}
              >
                {availabilityText(ticketType)}
              </span>
            </label>
          );
        })}
      </fieldset>
      {registrable && chosen && (
        <>
          <div className="field">
            <label htmlFor="quantity">Quantity</label>
            <select
              id="quantity"
              value={effectiveQuantity}
              onChange={(event) => setQuantity(Number(event.target.value))}
            >
              {quantities.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary">
            {chosen.price === 0 ? 'Register' : 'Get tickets'}
          </button>
        </>
      )}
      {organizerViewing && <p className="hint">Sign in as an attendee to buy tickets.</p>}
    </form>
  );
}
