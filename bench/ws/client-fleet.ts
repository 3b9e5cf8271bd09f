import WebSocket from 'ws';
import { LatencyHistogram } from './latency-histogram';

interface Client {
  socket: WebSocket;
  subscribed: boolean;
  burstFrames: number;
  /** Only sampled clients parse frames and time them; the others only count, to keep the harness cheap. */
  sampled: boolean;
}

/**
 * N real `ws` clients on one channel. Commit-to-client latency is the receive time minus the commit
 * time the publisher reported for that ticket type's version (same machine, same clock), measured on
 * every `sampleEvery`-th client (0: none). During a burst every frame counts; nothing else arrives then.
 */
export class ClientFleet {
  readonly clients: Client[] = [];
  readonly commits = new Map<string, number>();
  latency = new LatencyHistogram();
  framesReceived = 0;
  private early: [string, number][] = [];
  private hotTicketTypeId: string | undefined;
  private burst: { expected: number; done: number; resolve: () => void } | undefined;
  private opened = 0;

  constructor(private readonly sampleEvery = 10) {}

  recordCommit(ticketTypeId: string, version: number, committedAt: number): void {
    const key = `${ticketTypeId}:${version}`;
    this.commits.set(key, committedAt);
    if (this.early.length === 0) return;
    const waiting = this.early.filter(([pending]) => pending === key);
    for (const [, receivedAt] of waiting) this.latency.record(receivedAt - committedAt);
    this.early = this.early.filter(([pending]) => pending !== key);
  }

  /**
   * Opens `count` sockets, `parallel` at a time, and subscribes each; `awaitAnswer` waits for the
   * gateway's `subscribed` (the bare baseline server answers nothing).
   */
  async connect(url: string, count: number, channel: string, awaitAnswer: boolean, parallel = 100): Promise<void> {
    for (let opened = 0; opened < count; opened += parallel) {
      const batch = Math.min(parallel, count - opened);
      await Promise.all(Array.from({ length: batch }, () => this.open(url, channel, awaitAnswer)));
    }
  }

  measureLatencyOf(ticketTypeId: string): void {
    this.hotTicketTypeId = ticketTypeId;
    this.latency = new LatencyHistogram();
    this.framesReceived = 0;
  }

  /** Resolves when every client has received `frames` burst frames. */
  expectBurst(frames: number): Promise<void> {
    for (const client of this.clients) client.burstFrames = 0;
    return new Promise((resolve) => {
      this.burst = { expected: frames, done: 0, resolve };
    });
  }

  close(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  private open(url: string, channel: string, awaitAnswer: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      const sampled = this.sampleEvery > 0 && this.opened++ % this.sampleEvery === 0;
      const client: Client = { socket, subscribed: !awaitAnswer, burstFrames: 0, sampled };
      socket.on('error', reject);
      socket.on('open', () => {
        this.clients.push(client);
        socket.send(JSON.stringify({ op: 'subscribe', channel }));
        if (!awaitAnswer) resolve();
      });
      socket.on('message', (data) => this.receive(client, data as Buffer, awaitAnswer ? resolve : undefined));
    });
  }

  private receive(client: Client, data: Buffer, subscribed?: () => void): void {
    if (!client.subscribed) {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === 'subscribed') {
        client.subscribed = true;
        subscribed?.();
      }
      return;
    }
    this.framesReceived++;
    const burst = this.burst;
    if (burst) {
      if (++client.burstFrames === burst.expected && ++burst.done === this.clients.length) {
        this.burst = undefined;
        burst.resolve();
      }
      return;
    }
    if (!client.sampled) return;
    const receivedAt = Date.now();
    const frame = JSON.parse(data.toString()) as { type: string; data?: { ticketTypeId: string; version: number } };
    const update = frame.data;
    if (frame.type !== 'availability' || !update || update.ticketTypeId !== this.hotTicketTypeId) return;
    const key = `${update.ticketTypeId}:${update.version}`;
    const committedAt = this.commits.get(key);
    if (committedAt === undefined) this.early.push([key, receivedAt]);
    else this.latency.record(receivedAt - committedAt);
  }
}
