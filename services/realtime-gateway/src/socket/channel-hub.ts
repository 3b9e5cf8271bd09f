import type { RealtimeMetrics } from '../metrics';
import type { ChannelKind } from '../model/channel';
import type { ClientConnection } from './client-connection';
import { encodeTextFrame } from './text-frame';

export interface ChannelMessage {
  channel: string;
  type: string;
  data: unknown;
  version?: number;
}

/** One message queued for a channel's subscribers. */
interface Queued {
  /** Its place in the channel's queue: subscribers who joined at or after it do not get it. */
  seq: number;
  frame: Buffer;
  committedAt?: string;
  /** What the message is the latest value of (a ticket type, an event's totals), if it is coalesced. */
  key?: string;
}

/** The messages that were queued when a fan-out started, on their way to every subscriber. */
interface Fanout {
  messages: Queued[];
  /** The messages' frames back to back; a subscriber who joined among them gets a tail of it. */
  frames: Buffer;
  /** Where each message starts in `frames`. */
  offsets: number[];
  /** A live iterator over the subscribers: it skips those who left and sees those who joined since. */
  cursor: IterableIterator<[ClientConnection, number]>;
  startedAt: number;
  /** Time spent writing to its sockets, without the turns of the event loop it yielded in between. */
  busyMs: number;
  sent: number;
  backpressure: number;
  closed: number;
}

interface ChannelState {
  kind: ChannelKind;
  /** Each subscriber with the `queued` count at the time it joined. */
  members: Map<ClientConnection, number>;
  /** Messages ever queued on the channel. */
  queued: number;
  /** Messages waiting for the fan-out under way to finish. */
  waiting: Queued[];
  fanout?: Fanout;
  /** When the last fan-out of each coalesced key started and how long it kept the process busy. */
  lastFanoutOf: Map<string, { startedAt: number; busyMs: number }>;
}

export interface ChannelHubOptions {
  /** Sockets written to before the fan-out yields to the event loop. */
  chunkSize: number;
  /**
   * The most of its time a coalesced key may keep the process busy fanning out: after a fan-out
   * that kept it busy for d ms, the key's next message waits until d / share ms after that one started.
   */
  fanoutShare: number;
  /**
   * The most bytes of messages one fan-out writes to a socket at once: a client with an empty
   * buffer must never look slow (see ClientConnection.deliver) because many messages queued together.
   */
  maxBatchBytes: number;
  now?: () => number;
}

/**
 * Channels and their subscribers in this instance. A message is framed once and the same bytes
 * are handed to every subscriber; the messages that queued up while a fan-out was under way go
 * out together, as one write per subscriber, so a burst costs each socket one write, not one per
 * message.
 *
 * A fan-out writes to at most `chunkSize` sockets per turn of the event loop, then yields
 * (`setImmediate`), so a hot channel does not starve heartbeats, upgrades, the bus consumer or
 * other channels. A channel's fan-outs run one after the other, so every subscriber sees the
 * channel's versions in order. A message goes only to those subscribed when it was queued, and
 * only if they still are: a snapshot taken by a later subscriber already covers it.
 *
 * The socket writes are most of the cost of a busy channel: one message to 5,000 sockets takes
 * tens of milliseconds. `readyFor` lets the coalescers hold a key's next value until its previous
 * message is through and the share of time the key may take has passed, so on sale day a hot
 * ticket type costs clients intermediate values, never the process its time for registrations.
 */
export class ChannelHub {
  private readonly channels = new Map<string, ChannelState>();
  private subscriptionCount = 0;
  private readonly now: () => number;

  constructor(
    private readonly metrics: RealtimeMetrics,
    private readonly options: ChannelHubOptions,
  ) {
    if (!(options.fanoutShare > 0 && options.fanoutShare <= 1)) throw new Error('fanoutShare must be in (0, 1]');
    this.now = options.now ?? (() => performance.now());
  }

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** Whether a new value of `key` may be sent on the channel now (see the class comment). */
  readyFor(channel: string, key: string): boolean {
    const state = this.channels.get(channel);
    if (!state) return true;
    if (state.waiting.some((message) => message.key === key)) return false;
    if (state.fanout?.messages.some((message) => message.key === key)) return false;
    const last = state.lastFanoutOf.get(key);
    if (!last) return true;
    if (this.now() - last.startedAt < last.busyMs / this.options.fanoutShare) return false;
    state.lastFanoutOf.delete(key);
    return true;
  }

  channelNames(): IterableIterator<string> {
    return this.channels.keys();
  }

  /**
   * A client subscribing again gets a new snapshot, so it joins again at the end of the queue: what
   * was queued before is in that snapshot, and would show it an older version after a newer one.
   */
  add(client: ClientConnection, channel: string, kind: ChannelKind): void {
    if (client.subscriptions.has(channel)) {
      const state = this.channels.get(channel);
      state?.members.set(client, state.queued);
      return;
    }
    client.subscriptions.add(channel);
    let state = this.channels.get(channel);
    if (!state) {
      state = { kind, members: new Map(), queued: 0, waiting: [], lastFanoutOf: new Map() };
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

  /** Removes the channel's subscribers that `mayStay` refuses and returns them. */
  evict(channel: string, mayStay: (client: ClientConnection) => boolean): ClientConnection[] {
    const state = this.channels.get(channel);
    if (!state) return [];
    const evicted = [...state.members.keys()].filter((client) => !mayStay(client));
    for (const client of evicted) this.remove(client, channel);
    return evicted;
  }

  /** The channels left without subscribers. */
  removeAll(client: ClientConnection): string[] {
    const emptied: string[] = [];
    for (const channel of [...client.subscriptions]) {
      if (this.remove(client, channel)) emptied.push(channel);
    }
    return emptied;
  }

  /**
   * `committedAt` is the CloudEvent time of the change, for the commit-to-send lag; `key` names
   * what a coalesced message is the latest value of (see readyFor).
   */
  broadcast(message: ChannelMessage, committedAt?: string, key?: string): void {
    const state = this.channels.get(message.channel);
    if (!state || state.members.size === 0) return;
    state.waiting.push({ seq: ++state.queued, frame: encodeTextFrame(message), committedAt, key });
    if (!state.fanout) this.startFanout(state);
  }

  sendTo(client: ClientConnection, message: object, kind?: ChannelKind): void {
    const delivery = client.deliver(encodeTextFrame(message));
    if (delivery === 'sent') this.metrics.messagesSent.inc({ kind: kind ?? 'control' });
    else this.metrics.messagesDropped.inc({ reason: delivery });
  }

  /** A broadcast may have started the next fan-out meanwhile. */
  private startPending(state: ChannelState): void {
    if (!state.fanout && state.waiting.length > 0) this.startFanout(state);
  }

  /** `budget`: sockets this turn of the event loop may still write to. */
  private startFanout(state: ChannelState, budget = this.options.chunkSize): void {
    const offsets: number[] = [];
    let length = 0;
    let count = 0;
    for (const message of state.waiting) {
      if (count > 0 && length + message.frame.length > this.options.maxBatchBytes) break;
      offsets.push(length);
      length += message.frame.length;
      count++;
    }
    const messages = state.waiting.splice(0, count);
    state.fanout = {
      messages,
      frames: messages.length === 1 ? (messages[0] as Queued).frame : Buffer.concat(messages.map((m) => m.frame)),
      offsets,
      cursor: state.members.entries(),
      startedAt: this.now(),
      busyMs: 0,
      sent: 0,
      backpressure: 0,
      closed: 0,
    };
    this.drain(state, budget);
  }

  private drain(state: ChannelState, budget = this.options.chunkSize): void {
    const fanout = state.fanout as Fanout;
    const { messages, frames, offsets } = fanout;
    const firstSeq = (messages[0] as Queued).seq;
    const chunkStartedAt = this.now();
    for (;;) {
      if (budget === 0) {
        fanout.busyMs += this.now() - chunkStartedAt;
        setImmediate(() => this.drain(state));
        return;
      }
      const next: IteratorResult<[ClientConnection, number]> = fanout.cursor.next();
      if (next.done) break;
      const [client, joinedAt] = next.value;
      // Subscribers who joined before the first message get them all; later ones the messages after their snapshot.
      let first = 0;
      if (joinedAt >= firstSeq) {
        while (first < messages.length && (messages[first] as Queued).seq <= joinedAt) first++;
        if (first === messages.length) continue;
      }
      budget--;
      const delivery = client.deliver(first === 0 ? frames : frames.subarray(offsets[first]));
      fanout[delivery] += messages.length - first;
    }
    fanout.busyMs += this.now() - chunkStartedAt;
    state.fanout = undefined;
    this.finished(state, fanout);
    if (state.waiting.length === 0) return;
    // The next fan-out shares what is left of this turn's budget.
    if (budget > 0) this.startFanout(state, budget);
    else setImmediate(() => this.startPending(state));
  }

  private finished(state: ChannelState, fanout: Fanout): void {
    const { sent, backpressure, closed, messages, startedAt, busyMs } = fanout;
    const kind = state.kind;
    if (sent > 0) this.metrics.messagesSent.inc({ kind }, sent);
    if (backpressure > 0) this.metrics.messagesDropped.inc({ reason: 'backpressure' }, backpressure);
    if (closed > 0) this.metrics.messagesDropped.inc({ reason: 'closed' }, closed);
    const finishedAt = Date.now();
    for (const { key, committedAt } of messages) {
      if (key !== undefined) state.lastFanoutOf.set(key, { startedAt, busyMs });
      if (!committedAt) continue;
      const lagMs = finishedAt - Date.parse(committedAt);
      if (Number.isFinite(lagMs)) this.metrics.commitToSend.observe({ kind }, Math.max(0, lagMs) / 1000);
    }
  }
}
