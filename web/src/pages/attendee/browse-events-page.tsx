import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { EventSearch } from '../../api/events-api';
import { describeProblem, formProblem } from '../../api/problem';
import type { EchoEvent } from '../../api/types';
import { useApi } from '../../app/app-services';
import { SelectField, TextField } from '../../components/fields';
import { Loading } from '../../components/loading';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { EventCard } from './event-card';

const filterNames = ['q', 'category', 'city', 'from', 'to'] as const;
type Filters = Record<(typeof filterNames)[number], string>;

function filtersOf(params: URLSearchParams): Filters {
  return Object.fromEntries(filterNames.map((name) => [name, params.get(name) ?? ''])) as Filters;
}

/** Dates picked as whole days in the browser's zone become the instants the API filters on. */
function searchOf(filters: Filters): EventSearch {
  return {
    q: filters.q || undefined,
    category: filters.category || undefined,
    city: filters.city || undefined,
    from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
  };
}

export default function BrowseEventsPage() {
  useDocumentTitle('Browse events');
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const applied = filtersOf(params);
  const [draft, setDraft] = useState<Filters>(applied);
  const key = params.toString();
  const categories = useAsync(() => api.events.categories(), [api]);

  useEffect(() => {
    setDraft(filtersOf(new URLSearchParams(key)));
  }, [key]);

  const [events, setEvents] = useState<EchoEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const first = useAsync(
    (signal) => api.events.search(searchOf(filtersOf(new URLSearchParams(key))), signal),
    [api, key],
  );

  useEffect(() => {
    if (!first.data) return;
    setEvents(first.data.items);
    setCursor(first.data.nextCursor);
    setMoreError(null);
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.events.search({ ...searchOf(applied), cursor });
      setEvents((current) => [...current, ...page.items]);
      setCursor(page.nextCursor);
    } catch (error) {
      setMoreError(describeProblem(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of filterNames) if (draft[name].trim()) next.set(name, draft[name].trim());
    setParams(next);
  };

  const fieldErrors = first.error ? formProblem(first.error, { invalid_date_range: 'to' }).fields : {};
  const set = (name: keyof Filters) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft((current) => ({ ...current, [name]: event.target.value }));

  return (
    <section className="page">
      <h1>Find an event</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: React's JSX types have no <search> element yet; the role makes the same landmark */}
      <form className="filters" onSubmit={apply} role="search" aria-label="Events">
        <TextField
          label="Search"
          name="q"
          type="search"
          placeholder="Name, place, description"
          value={draft.q}
          onChange={set('q')}
          error={fieldErrors.q}
          className="grow"
        />
        <SelectField
          label="Category"
          name="category"
          value={draft.category}
          onChange={set('category')}
          error={fieldErrors.category}
        >
          <option value="">Any</option>
          {(categories.data ?? []).map((category) => (
            <option key={category} value={category}>
              {category}
            </option>
          ))}
        </SelectField>
        <TextField label="City" name="city" value={draft.city} onChange={set('city')} error={fieldErrors.city} />
        <TextField
          label="From"
          name="from"
          type="date"
          value={draft.from}
          onChange={set('from')}
          error={fieldErrors.from}
        />
        <TextField label="To" name="to" type="date" value={draft.to} onChange={set('to')} error={fieldErrors.to} />
        <div className="filter-actions">
          <button type="submit" className="button primary">
            Search
          </button>
          {key && (
            <button type="button" className="button secondary" onClick={() => setParams(new URLSearchParams())}>
              Clear
            </button>
          )}
        </div>
      </form>
      {first.loading ? (
        <Loading label="Finding events" />
      ) : first.error ? (
        Object.keys(fieldErrors).length === 0 && (
          <p className="form-alert error" role="alert">
            {describeProblem(first.error)}
          </p>
        )
      ) : (
        <>
          <p className="result-count" role="status">
            {events.length === 0
              ? 'No events match. Try fewer filters.'
              : `${events.length}${cursor ? '+' : ''} event${events.length === 1 ? '' : 's'}`}
          </p>
          <ul className="event-grid">
            {events.map((event) => (
              <li key={event.id}>
                <EventCard event={event} />
              </li>
            ))}
          </ul>
          {moreError && (
            <p className="form-alert error" role="alert">
              {moreError}
            </p>
          )}
          {cursor && (
            <button
              type="button"
              className="button secondary load-more"
              onClick={loadMore}
              disabled={loadingMore}
              aria-busy={loadingMore}
            >
              {loadingMore ? 'Loading…' : 'Show more events'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
