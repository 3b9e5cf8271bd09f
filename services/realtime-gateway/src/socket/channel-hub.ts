import type { RealtimeMetrics } from '../metrics';
import type { ChannelKind } from '../model/channel';
import type { ClientConnection } from './client-connection';

export interface ChannelMessage {
  channel: string;
  type: string;
  data: unknown;
  version?: number;
}

/**
 * Channels and their subscribers in this instance. A message is encoded once and the same bytes
 * are handed to every subscriber, so fan-out costs one socket write per client and nothing more.
 */
export class ChannelHub {
  private readonly channels = new Map<string, Set<ClientConnection>>();
  private subscriptionCount = 0;

  constructor(private readonly metrics: RealtimeMetrics) {}

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  channelNames(): IterableIterator<string> {
    return this.channels.keys();
  }

  add(client: ClientConnection, channel: string): void {
    if (client.subscriptions.has(channel)) return;
    client.subscriptions.add(channel);
    let members = this.channels.get(channel);
    if (!members) {
      members = new Set();
      this.channels.set(channel, members);
    }
    members.add(client);
    this.metrics.subscriptions.set(++this.subscriptionCount);
  }

  /** True when the channel has no subscribers left. */
  remove(client: ClientConnection, channel: string): boolean {
    if (!client.subscriptions.delete(channel)) return false;
    const members = this.channels.get(channel);
    members?.delete(client);
    this.metrics.subscriptions.set(--this.subscriptionCount);
    if (members && members.size > 0) return false;
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
    const members = this.channels.get(message.channel);
    if (!members || members.size === 0) return;
    const frame = encodeFrame(message);
    let sent = 0;
    let backpressure = 0;
    let closed = 0;
    for (const client of members) {
      const delivery = client.deliver(frame);
      if (delivery === 'sent') sent++;
      else if (delivery === 'backpressure') backpressure++;
      else closed++;
    }
    if (sent > 0) this.metrics.messagesSent.inc({ kind }, sent);
    if (backpressure > 0) this.metrics.messagesDropped.inc({ reason: 'backpressure' }, backpressure);
    if (closed > 0) this.metrics.messagesDropped.inc({ reason: 'closed' }, closed);
    if (committedAt) {
      const lagMs = Date.now() - Date.parse(committedAt);
      if (Number.isFinite(lagMs)) this.metrics.commitToSend.observe({ kind }, Math.max(0, lagMs) / 1000);
    }
  }

  sendTo(client: ClientConnection, message: object, kind?: ChannelKind): void {
    const delivery = client.deliver(encodeFrame(message));
    if (delivery === 'sent') this.metrics.messagesSent.inc({ kind: kind ?? 'control' });
    else this.metrics.messagesDropped.inc({ reason: delivery });
  }
}

export function encodeFrame(message: object): Buffer {
  return Buffer.from(JSON.stringify(message));
}
