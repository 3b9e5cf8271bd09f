import { problems } from '@echoplex/http';

/** Keyset cursors are opaque to clients: the last row's id, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ id: lastId })).toString('base64url');
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof id === 'string' && uuidPattern.test(id)) return id;
  } catch {
    // Falls through to the same answer as a well-formed cursor that is not ours.
  }
  throw problems.badRequest('invalid_cursor', 'The cursor is not valid.');
}
