import { randomUUID } from 'node:crypto';
import type { Subscription, Transport } from '@echoplex/bus';
import { fromKafkaMessage, parseEventData } from '@echoplex/contracts';
import type { Logger } from '@echoplex/telemetry';

export type RevocationListener = (sessionIds: ReadonlySet<string>) => void;

/**
 * Sessions that ended while access tokens issued for them may still be alive. A token verifier asks
 * `isRevoked` for every request (one Map lookup); an entry is forgotten once every access token it
 * covers has expired, so the set holds at most an access-token lifetime of revocations.
 */
export class SessionRevocations {
  /** Session id → epoch ms after which no access token of that session is valid anyway. */
  private readonly entries = new Map<string, number>();
  private readonly listeners = new Set<RevocationListener>();

  revoke(sessionIds: readonly string[], tokensExpireBy: number, now: number): void {
    this.forgetExpired(now);
    if (tokensExpireBy <= now) return;
    const revoked = new Set<string>();
    for (const sessionId of sessionIds) {
      if (this.entries.has(sessionId)) continue;
      this.entries.set(sessionId, tokensExpireBy);
      revoked.add(sessionId);
    }
    if (revoked.size === 0) return;
    for (const listener of this.listeners) listener(revoked);
  }

  isRevoked(sessionId: string): boolean {
    return this.entries.has(sessionId);
  }

  /** Told of every newly revoked session (the realtime gateway ends its sockets' private channels). */
  onRevoke(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Entries arrive in about the order they expire (each is its revocation time plus one token
   * lifetime), so the expired ones are at the front; one that arrived late lingers a little longer.
   */
  private forgetExpired(now: number): void {
    for (const [sessionId, expiresBy] of this.entries) {
      if (expiresBy > now) return;
      this.entries.delete(sessionId);
    }
  }
}

/**
 * Keeps `revocations` current from `identity.session.v1`. Every process reads the whole topic (its own
 * group) from the beginning, so one that starts or restarts learns the revocations of tokens still
 * alive; the topic keeps only the last hour. `onCaughtUp` fires once that history is applied.
 */
export function followSessionRevocations(options: {
  transport: Transport;
  revocations: SessionRevocations;
  log: Logger;
  onCaughtUp(): void;
}): Promise<Subscription> {
  const { revocations, log } = options;
  return options.transport.subscribe({
    group: `session-revocations.${randomUUID()}`,
    topics: ['identity.session.v1'],
    fromBeginning: true,
    onCaughtUp: options.onCaughtUp,
    handle: async (message) => {
      try {
        const event = fromKafkaMessage(message.headers, message.value);
        if (event.type !== 'session.revoked') return;
        const revoked = parseEventData('identity.session.v1', 'session.revoked', event.data);
        revocations.revoke(revoked.sessionIds, Date.parse(revoked.accessTokensExpireBy), Date.now());
      } catch (error) {
        // Identity's own relay validated it; a message nobody can read is skipped, not retried forever.
        log.error(
          { err: error, offset: message.offset, partition: message.partition },
          'unreadable session revocation',
        );
      }
    },
  });
}
