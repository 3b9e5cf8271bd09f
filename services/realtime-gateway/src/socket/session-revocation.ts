import type { ClientConnection } from './client-connection';
import type { ClientSession } from './client-session';

const sessionEnded =
  'The session ended (signed out, or the password changed); sign in, send {op:"auth", token} and subscribe again.';

/**
 * Sockets authenticated with a session that has just ended (logout, password change or reset) lose
 * their private channels at once, as if their token had expired; public channels stay.
 */
export function endRevokedSessions(
  clients: Iterable<ClientConnection>,
  sessionIds: ReadonlySet<string>,
  session: ClientSession,
): void {
  for (const client of clients) {
    if (client.principal && sessionIds.has(client.principal.sessionId)) session.expire(client, sessionEnded);
  }
}
