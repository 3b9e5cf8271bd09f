import type { RealtimeMetrics } from '../metrics';
import type { ChannelKind } from '../model/channel';
import type { ClientConnection } from './client-connection';

export interface ChannelMessage {
  channel: string;
  type: string;
  data: unknown;
  version?: number;
}

/** One message on its way to a channel's subscribers. */
interface Fanout {
  /** Its place in the channel's queue: subscribers who joined at or after it do not get it. */
  seq: number;
  frame: Buffer;
  kind: ChannelKind;
  committedAt?: string;
  /** A live iterator over the subscribers: it skips those who left and sees those who joined since. */
  cursor: IterableIterator<[ClientConnection, number]>;
  sent: number;
  backpressure: number;
  closed: number;
}

interface ChannelState {
  /** Each subscriber with the `queued` count at the time it joined. */
  members: Map<ClientConnection, number>;
  /** Messages ever queued on the channel. */
  queued: number;
  /** Messages not yet handed to every subscriber, oldest first. */
  pending: Fanout[];
}

/**
 * Channels and their subscribers in this instance. A message is encoded once and the same bytes
 * are handed to every subscriber, so fan-out costs one socket write per client and nothing more.
 *
 * A message goes to at most `chunkSize` sockets per turn of the event loop, then the fan-out
 * yields (`setImmediate`), so a hot channel does not starve heartbeats, upgrades, the bus consumer
 * or other channels. A channel's messages leave one after the other: the next starts only when the
 * previous one reached everybody, so every subscriber sees the channel's versions in order. A
 * message goes only to those subscribed when it was queued, and only if they still are: a snapshot
 * taken by a later subscriber already covers it.
 */
export class ChannelHub {
  private readonly channels = new Map<string, ChannelState>();
  private subscriptionCount = 0;

  constructor(
    private readonly metrics: RealtimeMetrics,
    private readonly chunkSize: number,
  ) {}

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** A message of the channel is still on its way to some subscribers. */
  isBusy(channel: string): boolean {
    return (this.channels.get(channel)?.pending.length ?? 0) > 0;
  }

  channelNames(): IterableIterator<string> {
    return this.channels.keys();
  }

  add(client: ClientConnection, channel: string): void {
    if (client.subscriptions.has(channel)) return;
    client.subscriptions.add(channel);
    let state = this.channels.get(channel);
    if (!state) {
      state = { members: new Map(), queued: 0, pending: [] };
      this.channels.set(channel, state);
    }
    state.members.set(client, state.queued);
    this.metrics.subscriptions.set(++this.subscriptionCount);
  }

  /** True when the channel has no subscribers left. */
  remove(client: ClientConnection, channel: string): boolean {
    if (!client.subscriptions.delete(channel)) return false;
    const state = this.channels.get(channel);
    state?.members.delete(client);
    this.metrics.subscriptions.set(--this.subscriptionCount);
    if (state && state.members.size > 0) return false;
    this.channels.delete(channel);
    return true;
  }

  /** The channels left without subscribers. */
  removeAll(client: ClientConnection): string[] {
    const emptied: string[] = [];
    for (const channel of [...client.subscriptions]) {
      if (this.remove(client, channel)) emptied.push(channel);
    }
    return emptied;
  }

  /** `committedAt` is the CloudEvent time of the change, for the commit-to-send lag. */
  broadcast(kind: ChannelKind, message: ChannelMessage, committedAt?: string): void {
    const state = this.channels.get(message.channel);
    if (!state || state.members.size === 0) return;
    state.pending.push({
      seq: ++state.queued,
      frame: encodeFrame(message),
      kind,
      committedAt,
      cursor: state.members.entries(),
      sent: 0,
      backpressure: 0,
      closed: 0,
    });
    // Already draining: this message waits for the ones before it.
    if (state.pending.length === 1) this.drain(state);
  }

  sendTo(client: ClientConnection, message: object, kind?: ChannelKind): void {
    const delivery = client.deliver(encodeFrame(message));
    if (delivery === 'sent') this.metrics.messagesSent.inc({ kind: kind ?? 'control' });
    else this.metrics.messagesDropped.inc({ reason: delivery });
  }

  private drain(state: ChannelState): void {
    let budget = this.chunkSize;
    for (let fanout = state.pending[0]; fanout; fanout = state.pending[0]) {
      for (;;) {
        if (budget === 0) {
          setImmediate(() => this.drain(state));
          return;
        }
        const next: IteratorResult<[ClientConnection, number]> = fanout.cursor.next();
        if (next.done) break;
        const [client, joinedAt] = next.value;
        if (joinedAt >= fanout.seq) continue;
        budget--;
        const delivery = client.deliver(fanout.frame);
        fanout[delivery]++;
      }
      state.pending.shift();
      this.delivered(fanout);
    }
  }

  private delivered(fanout: Fanout): void {
    const { kind, sent, backpressure, closed, committedAt } = fanout;
    if (sent > 0) this.metrics.messagesSent.inc({ kind }, sent);
    if (backpressure > 0) this.metrics.messagesDropped.inc({ reason: 'backpressure' }, backpressure);
    if (closed > 0) this.metrics.messagesDropped.inc({ reason: 'closed' }, closed);
    if (committedAt) {
      const lagMs = Date.now() - Date.parse(committedAt);
      if (Number.isFinite(lagMs)) this.metrics.commitToSend.observe({ kind }, Math.max(0, lagMs) / 1000);
    }
  }
}

export function encodeFrame(message: object): Buffer {
  return Buffer.from(JSON.stringify(message));
}
