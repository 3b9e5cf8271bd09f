import { type Kysely, sql } from '@echoplex/db';
import type { EventsDb } from '../db/schema';
import { invalidCursor, type ListMatch, type ListPosition, type ListSort } from '../domain/list-cursor';
import { type EventRow, eventColumns } from './event.repository';

export interface EventSearchCriteria {
  /** Full-text query in web-search syntax (`jazz -brunch "open air"`). */
  q?: string;
  /** `relevance` only means something with `q`. */
  sort: ListSort;
  category?: string;
  city?: string;
  /** Events overlapping [from, to): ending after `from`, starting before `to`. */
  from?: Date;
  to?: Date;
  organizerId?: string;
  /** `mine=true`: this organizer's own events in any status, instead of the published ones. */
  ownerId?: string;
  limit: number;
  after?: ListPosition;
}

export interface EventPage {
  rows: EventRow[];
  next: ListPosition | null;
}

type Match = Exclude<ListMatch, 'all'>;

/**
 * The event list, keyset-paginated (never OFFSET, so rows inserted between pages cause no gaps or
 * duplicates) over a total order ending in the id. `q` matches a weighted tsvector (name A,
 * description B, location and city C) with `websearch_to_tsquery`; when the words match no event at
 * all, which is what a typo looks like, trigram word similarity over name, location and city instead.
 * Soonest first is the contract's order; `sort=relevance` ranks by `ts_rank_cd` (cover density; unlike
 * `ts_rank` it does not score queries with negated words as zero). Either way a text search reads
 * each matching row once, which bounds its cost by the number of matches.
 */
export class EventSearch {
  constructor(
    private readonly db: Kysely<EventsDb>,
    /** Where pg_trgm lives, or null when it could not be installed (no typo tolerance then). */
    private readonly trigramSchema: string | null,
  ) {}

  async search(criteria: EventSearchCriteria): Promise<EventPage> {
    const sort: ListSort = criteria.q ? criteria.sort : 'soonest';
    const after = criteria.after;
    if (after) {
      const fits = criteria.q ? after.match !== 'all' : after.match === 'all';
      if (!fits || after.sort !== sort || (after.match === 'fuzzy' && !this.trigramSchema)) throw invalidCursor();
      return this.page(after.match, sort, criteria);
    }
    if (!criteria.q) return this.page('all', sort, criteria);
    const page = await this.page('text', sort, criteria);
    if (page.rows.length > 0 || !this.trigramSchema || (await this.anyTextMatch(criteria))) return page;
    return this.page('fuzzy', sort, criteria);
  }

  /**
   * Whether the words match anything at all, filters aside: if they do, an empty page means the
   * filters excluded the matches, not that the words were misspelt, and the costlier fuzzy search
   * would only find near-misses the filters were meant to exclude.
   */
  private async anyTextMatch(criteria: EventSearchCriteria): Promise<boolean> {
    const scope = this.db
      .selectFrom('events')
      .select('id')
      .where(this.matching('text', criteria.q as string).matches);
    const row = await (criteria.ownerId
      ? scope.where('organizerId', '=', criteria.ownerId)
      : scope.where('status', '=', 'published')
    )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async page(match: ListMatch, sort: ListSort, criteria: EventSearchCriteria): Promise<EventPage> {
    const rows: (EventRow & { rank?: number })[] =
      match !== 'all' && sort === 'relevance'
        ? await this.byRelevance(match, criteria)
        : await this.soonest(match, criteria);
    const hasMore = rows.length > criteria.limit;
    const pageRows = hasMore ? rows.slice(0, criteria.limit) : rows;
    const last = pageRows.at(-1);
    const next = hasMore && last ? { match, sort, startTime: last.startTime, id: last.id, rank: last.rank } : null;
    return { rows: pageRows.map(withoutRank), next };
  }

  /**
   * Without `q`, walks the start-time index and stops after a page. With `q`, the matches are
   * collected first (a materialized CTE, so through the GIN index) and then sorted: walking the
   * start-time index and testing each row looks cheap to the planner, which assumes words and
   * filters independent, but "workshop" in category "food" matches nothing and that walk reads
   * the whole table.
   */
  private soonest(match: ListMatch, criteria: EventSearchCriteria) {
    const after = criteria.after;
    let query = this.filtered(criteria);
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('startTime', 'id'), '>', eb.tuple(after.startTime, after.id)));
    }
    if (match === 'all') {
      return query
        .select(eventColumns)
        .orderBy('startTime')
        .orderBy('id')
        .limit(criteria.limit + 1)
        .execute();
    }
    const matches = query.where(this.matching(match, criteria.q as string).matches).select(['id', 'startTime']);
    return this.db
      .with(
        (cte) => cte('matches').materialized(),
        () => matches,
      )
      .with('page', (db) =>
        db
          .selectFrom('matches')
          .select('id')
          .orderBy('startTime')
          .orderBy('id')
          .limit(criteria.limit + 1),
      )
      .selectFrom('page')
      .innerJoin('events', 'events.id', 'page.id')
      .select(qualifiedEventColumns)
      .orderBy('events.startTime')
      .orderBy('events.id')
      .execute();
  }

  /** Every match is ranked from the few columns that takes; only the page's rows are read in full. */
  private byRelevance(match: Match, criteria: EventSearchCriteria) {
    const { matches, rank } = this.matching(match, criteria.q as string);
    const candidates = this.filtered(criteria)
      .where(matches)
      .select(['id', 'startTime', rank.as('rank')]);
    let page = this.db.selectFrom(candidates.as('candidates')).select(['id', 'startTime', 'rank']);
    const after = criteria.after;
    if (after?.rank !== undefined) {
      const afterRank = after.rank;
      page = page.where((eb) =>
        eb.or([
          eb('rank', '<', afterRank),
          eb.and([
            eb('rank', '=', afterRank),
            eb(eb.refTuple('startTime', 'id'), '>', eb.tuple(after.startTime, after.id)),
          ]),
        ]),
      );
    }
    return this.db
      .with('page', () =>
        page
          .orderBy('rank', 'desc')
          .orderBy('startTime')
          .orderBy('id')
          .limit(criteria.limit + 1),
      )
      .selectFrom('page')
      .innerJoin('events', 'events.id', 'page.id')
      .select([...qualifiedEventColumns, 'page.rank'])
      .orderBy('page.rank', 'desc')
      .orderBy('events.startTime')
      .orderBy('events.id')
      .execute();
  }

  private matching(match: Match, q: string) {
    if (match === 'text') {
      const query = sql`websearch_to_tsquery('english'::regconfig, ${q})`;
      return {
        matches: sql<boolean>`search @@ ${query}`,
        rank: sql<number>`ts_rank_cd(search, ${query})::float8`,
      };
    }
    const schema = this.trigramSchema as string;
    // The operator is schema-qualified because pg_trgm may live outside the search path.
    const wordSimilarOperator = sql.raw(`operator(${quoteIdentifier(schema)}.<%)`);
    return {
      matches: sql<boolean>`${q} ${wordSimilarOperator} search_text`,
      rank: sql<number>`${sql.id(schema, 'word_similarity')}(${q}, search_text)::float8`,
    };
  }

  /**
   * With a text query, city and category go through `facets`, which shares the GIN index with the
   * text; without one, through their own indexes, which can also deliver rows soonest first.
   */
  private filtered(criteria: EventSearchCriteria) {
    let query = this.db.selectFrom('events');
    query = criteria.ownerId
      ? query.where('organizerId', '=', criteria.ownerId)
      : query.where('status', '=', 'published');
    if (criteria.organizerId) query = query.where('organizerId', '=', criteria.organizerId);
    if (criteria.q) {
      // Lower-cased by PostgreSQL, exactly as the generated column was.
      const facets = [
        ...(criteria.category ? [sql`${criteria.category}::text`] : []),
        ...(criteria.city ? [sql`'@' || lower(${criteria.city})`] : []),
      ];
      if (facets.length > 0) query = query.where(sql<boolean>`facets @> array[${sql.join(facets)}]`);
    } else {
      if (criteria.category) query = query.where(sql<boolean>`categories @> array[${criteria.category}]::text[]`);
      if (criteria.city) query = query.where(sql<boolean>`lower(city) = lower(${criteria.city})`);
    }
    if (criteria.from) query = query.where('endTime', '>', criteria.from);
    if (criteria.to) query = query.where('startTime', '<', criteria.to);
    return query;
  }
}

const qualifiedEventColumns = eventColumns.map((column) => `events.${column}` as const);

function withoutRank(row: EventRow & { rank?: number }): EventRow {
  const { rank: _rank, ...event } = row;
  return event;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
