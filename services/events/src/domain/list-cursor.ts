import { problems } from '@echoplex/http';
import { z } from 'zod';

/** What a list matches: everything, the full-text query, or (the words matched nothing) trigram-similar text. */
export type ListMatch = 'all' | 'text' | 'fuzzy';
/** Soonest first (the default), or by relevance to `q`: text rank, or similarity for a fuzzy match. */
export type ListSort = 'soonest' | 'relevance';

/** The keyset position after the last row of a page: (rank desc,) start time, id. */
export interface ListPosition {
  match: ListMatch;
  sort: ListSort;
  startTime: Date;
  id: string;
  rank?: number;
}

const Encoded = z.object({
  m: z.enum(['all', 'text', 'fuzzy']),
  o: z.enum(['soonest', 'relevance']),
  s: z.iso.datetime(),
  i: z.uuid(),
  r: z.number().optional(),
});

export function encodeCursor(position: ListPosition): string {
  const encoded: z.infer<typeof Encoded> = {
    m: position.match,
    o: position.sort,
    s: position.startTime.toISOString(),
    i: position.id,
    ...(position.rank === undefined ? {} : { r: position.rank }),
  };
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  let decoded: z.infer<typeof Encoded>;
  try {
    decoded = Encoded.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
  if ((decoded.o === 'relevance') !== (decoded.r !== undefined)) throw invalidCursor();
  return { match: decoded.m, sort: decoded.o, startTime: new Date(decoded.s), id: decoded.i, rank: decoded.r };
}

export function invalidCursor() {
  return problems.badRequest('validation_failed', 'The cursor is not valid for this query; start again without it.');
}
