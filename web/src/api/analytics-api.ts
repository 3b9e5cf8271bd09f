import type { ApiClient } from './client';
import type { EventSummary, OrganizerOverview, TimeseriesMetric, TimeseriesPoint } from './types';

export function analyticsApi(client: ApiClient) {
  return {
    /** Fire and forget: a lost page view must never disturb the page. */
    recordPageView(eventId: string, sessionId: string, referrer?: string) {
      return client
        .post<void>('/api/analytics/page-views', { eventId, sessionId, referrer: referrer || undefined })
        .catch(() => {});
    },
    summary: (eventId: string) => client.get<EventSummary>(`/api/analytics/events/${eventId}/summary`),
    timeseries: async (eventId: string, metric: TimeseriesMetric, interval: 'hour' | 'day', from?: string) =>
      (
        await client.get<{ points: TimeseriesPoint[] }>(`/api/analytics/events/${eventId}/timeseries`, {
          query: { metric, interval, from },
        })
      ).points,
    overview: () => client.get<OrganizerOverview>('/api/analytics/overview'),
  };
}
