import { useEffect, useReducer, useRef } from 'react';
import { useParams } from 'react-router-dom';
import { describeProblem } from '../../api/problem';
import type { EventSummary, TicketType, TimeseriesPoint } from '../../api/types';
import { useApi } from '../../app/app-services';
import { BarChart, type BarPoint, ShareBars } from '../../components/charts';
import { FormAlert } from '../../components/form-alert';
import { LiveIndicator } from '../../components/live-indicator';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { formatMoney } from '../../format/money';
import { useAsync } from '../../hooks/use-async';
import { useChannel } from '../../hooks/use-channel';
import { useDocumentTitle } from '../../hooks/use-document-title';
import type { ChannelMessage } from '../../realtime/realtime-client';
import { initialSales, type LiveSales, liveCheckIns, salesReducer } from '../../realtime/sales';
import { OrganizerEventNav } from './organizer-event-nav';

const hourLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function chartPoints(points: TimeseriesPoint[], format: Intl.DateTimeFormat): BarPoint[] {
  return points.map((point) => ({ label: format.format(new Date(point.t)), value: point.value }));
}

/** Analytics is eventually consistent: after live news, fetch the figures again a little later. */
const analyticsCatchUpMs = 1_500;
const analyticsRefreshMs = 30_000;

export default function SalesPage() {
  const { eventId = '' } = useParams();
  const api = useApi();
  const [live, dispatchLive] = useReducer(
    (state: LiveSales, message: ChannelMessage) => salesReducer(state, message),
    initialSales,
  );
  const base = useAsync(async () => {
    const [event, ticketTypes] = await Promise.all([api.events.get(eventId), api.ticketing.ticketTypes(eventId)]);
    return { event, ticketTypes };
  }, [api, eventId]);
  const analytics = useAsync(async () => {
    const since = new Date(Date.now() - 48 * 3_600_000).toISOString();
    const [summary, hourly, checkIns, revenue, views] = await Promise.all([
      api.analytics.summary(eventId),
      api.analytics.timeseries(eventId, 'registrations', 'hour', since),
      api.analytics.timeseries(eventId, 'checkIns', 'hour', since),
      api.analytics.timeseries(eventId, 'revenue', 'day'),
      api.analytics.timeseries(eventId, 'pageViews', 'day'),
    ]);
    return { summary, hourly, checkIns, revenue, views };
  }, [api, eventId]);
  useDocumentTitle(base.data ? `Sales: ${base.data.event.name}` : 'Sales');

  const catchUp = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reloadAnalytics = analytics.reload;
  useChannel(base.data ? `organizer:${eventId}` : null, (message) => {
    dispatchLive(message);
    if (message.type === 'registration' || message.type === 'checkin') {
      clearTimeout(catchUp.current);
      catchUp.current = setTimeout(reloadAnalytics, analyticsCatchUpMs);
    }
  });
  useEffect(() => {
    const timer = setInterval(reloadAnalytics, analyticsRefreshMs);
    return () => {
      clearInterval(timer);
      clearTimeout(catchUp.current);
    };
  }, [reloadAnalytics]);

  if (base.loading) return <Loading label="Loading sales" />;
  if (base.error || !base.data) {
    return (
      <section className="page">
        <h1>Sales</h1>
        <FormAlert message={describeProblem(base.error)} />
      </section>
    );
  }
  const { event, ticketTypes } = base.data;
  const summary = analytics.data?.summary;
  return (
    <section className="page">
      <OrganizerEventNav event={event} />
      <div className="page-title">
        <h1>Live sales</h1>
        <LiveIndicator />
      </div>
      {analytics.error && !analytics.data ? (
        <FormAlert tone="info" message={`Analytics unavailable: ${describeProblem(analytics.error)}`} />
      ) : null}
      <SalesKpis capacity={event.capacity} summary={summary} live={live} />
      {analytics.loading && !analytics.data ? (
        <Loading label="Loading charts" />
      ) : analytics.data ? (
        <div className="charts">
          <BarChart
            title="Registrations per hour (last 48 hours)"
            points={chartPoints(analytics.data.hourly, hourLabel)}
          />
          <BarChart
            title="Revenue per day"
            points={chartPoints(analytics.data.revenue, dayLabel)}
            format={(value) => formatMoney(value, summary?.revenue.currency ?? ticketTypes[0]?.currency ?? 'eur')}
          />
          <BarChart
            title="Check-ins per hour (last 48 hours)"
            points={chartPoints(analytics.data.checkIns, hourLabel)}
          />
          <BarChart title="Page views per day" points={chartPoints(analytics.data.views, dayLabel)} />
          <ShareBars title="Tickets sold by type" items={soldByType(ticketTypes, live, summary)} />
        </div>
      ) : null}
      <ActivityFeed live={live} ticketTypes={ticketTypes} />
    </section>
  );
}

function soldByType(ticketTypes: TicketType[], live: LiveSales, summary: EventSummary | undefined): BarPoint[] {
  const name = (id: string) => ticketTypes.find((ticketType) => ticketType.id === id)?.name ?? 'Removed ticket type';
  if (live.totals)
    return live.totals.byTicketType.map((entry) => ({ label: name(entry.ticketTypeId), value: entry.sold }));
  return (summary?.byTicketType ?? []).map((entry) => ({
    label: entry.name ?? name(entry.ticketTypeId),
    value: entry.sold,
  }));
}

/** Live totals when the socket has them (they move with each sale), analytics for the rest. */
function SalesKpis({ capacity, summary, live }: { capacity: number; summary?: EventSummary; live: LiveSales }) {
  const totals = live.totals;
  const sold = totals?.ticketsSold ?? summary?.ticketsSold;
  const currency = totals?.currency ?? summary?.revenue.currency ?? null;
  const revenue = totals?.revenue ?? summary?.revenue.net;
  const checkIns = liveCheckIns(live) ?? summary?.checkIns;
  const confirmed = totals?.registrations.confirmed ?? summary?.registrations.confirmed;
  const pending = totals?.registrations.pending ?? summary?.registrations.pending;
  const show = (value: number | undefined) => (value === undefined ? '–' : String(value));
  return (
    <dl className="kpis" aria-live="polite">
      <div>
        <dt>Tickets sold</dt>
        <dd data-testid="kpi-sold">
          {show(sold)} <span className="kpi-of">/ {capacity}</span>
        </dd>
      </div>
      <div>
        <dt>Revenue</dt>
        <dd data-testid="kpi-revenue">{revenue === undefined ? '–' : formatMoney(revenue, currency ?? 'eur')}</dd>
      </div>
      <div>
        <dt>Registrations</dt>
        <dd>
          {show(confirmed)} <span className="kpi-of">confirmed</span>
          {pending ? <span className="kpi-of"> · {pending} awaiting payment</span> : null}
        </dd>
      </div>
      <div>
        <dt>Page views</dt>
        <dd>
          {show(summary?.pageViews)}
          {summary && summary.pageViews > 0 ? (
            <span className="kpi-of"> · {(summary.conversionRate * 100).toFixed(1)}% convert</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Checked in</dt>
        <dd data-testid="kpi-checkins">{show(checkIns)}</dd>
      </div>
    </dl>
  );
}

function ActivityFeed({ live, ticketTypes }: { live: LiveSales; ticketTypes: TicketType[] }) {
  const name = (id: string) => ticketTypes.find((ticketType) => ticketType.id === id)?.name ?? 'ticket';
  return (
    <section className="card" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Latest activity</h2>
      {live.activity.length === 0 ? (
        <p className="hint">Sales and check-ins appear here as they happen.</p>
      ) : (
        <ul className="activity" aria-live="polite">
          {live.activity.map((entry) => (
            <li key={entry.key}>
              {entry.kind === 'registration' ? (
                <>
                  <StatusBadge status={entry.status} /> {entry.quantity} × {name(entry.ticketTypeId)}
                  {entry.amount > 0 && entry.currency ? ` · ${formatMoney(entry.amount, entry.currency)}` : ''}
                </>
              ) : (
                <>Checked in: 1 × {name(entry.ticketTypeId)}</>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
