import { Link } from 'react-router-dom';
import { describeProblem } from '../../api/problem';
import type { EchoEvent, OrganizerOverview } from '../../api/types';
import { useApi } from '../../app/app-services';
import { useAuth } from '../../auth/auth-context';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { formatSpan } from '../../format/dates';
import { formatMoney } from '../../format/money';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';

async function allMyEvents(api: ReturnType<typeof useApi>): Promise<EchoEvent[]> {
  const events: EchoEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.events.mine(cursor);
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && events.length < 500);
  return events;
}

export default function MyEventsPage() {
  useDocumentTitle('My events');
  const api = useApi();
  const { user } = useAuth();
  const events = useAsync(() => allMyEvents(api), [api]);
  // Analytics is a nice-to-have here: without it the list still works.
  const overview = useAsync(() => api.analytics.overview().catch(() => null), [api]);

  return (
    <section className="page">
      <div className="page-title">
        <h1>Welcome, {user?.firstName}</h1>
        <Link to="/organizer/events/new" className="button primary">
          Create event
        </Link>
      </div>
      {overview.data && <OverviewKpis overview={overview.data} />}
      <h2>My events</h2>
      {events.loading ? (
        <Loading label="Loading your events" />
      ) : events.error ? (
        <p className="form-alert error" role="alert">
          {describeProblem(events.error)}
        </p>
      ) : events.data?.length === 0 ? (
        <p>
          You have no events yet. <Link to="/organizer/events/new">Create your first event</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Your events</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">When</th>
                <th scope="col">Status</th>
                <th scope="col">Sold</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.data?.map((event) => {
                const figures = overview.data?.events.find((candidate) => candidate.eventId === event.id);
                return (
                  <tr key={event.id}>
                    <th scope="row">
                      <Link to={`/organizer/events/${event.id}/edit`}>{event.name}</Link>
                    </th>
                    <td>{formatSpan(event.startTime, event.endTime)}</td>
                    <td>
                      <StatusBadge status={event.status} />
                    </td>
                    <td>{figures ? `${figures.ticketsSold} / ${event.capacity}` : `– / ${event.capacity}`}</td>
                    <td className="actions-cell">
                      <Link to={`/organizer/events/${event.id}/sales`} aria-label={`Sales of ${event.name}`}>
                        Sales
                      </Link>
                      <Link to={`/organizer/events/${event.id}/attendees`} aria-label={`Attendees of ${event.name}`}>
                        Attendees
                      </Link>
                      <Link to={`/organizer/events/${event.id}/check-in`} aria-label={`Check-in for ${event.name}`}>
                        Check-in
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function OverviewKpis({ overview }: { overview: OrganizerOverview }) {
  return (
    <dl className="kpis">
      <div>
        <dt>Events</dt>
        <dd>{overview.eventCount}</dd>
      </div>
      <div>
        <dt>Tickets sold</dt>
        <dd>{overview.ticketsSold}</dd>
      </div>
      <div>
        <dt>Net revenue</dt>
        <dd>
          {overview.revenue.currency
            ? formatMoney(overview.revenue.net, overview.revenue.currency)
            : 'mixed currencies'}
        </dd>
      </div>
      <div>
        <dt>Page views</dt>
        <dd>{overview.pageViews}</dd>
      </div>
      <div>
        <dt>Check-ins</dt>
        <dd>{overview.checkIns}</dd>
      </div>
    </dl>
  );
}
