import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export interface ServerFrame {
  channel?: string;
  type: string;
  data?: any;
  version?: number;
  code?: string;
}

/** A real `ws` client that records every frame and lets a test wait for the one it expects. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  private taken = new Set<ServerFrame>();
  private listeners = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const listener of this.listeners) listener();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused with ${response.statusCode}`)),
      );
    });
    return new TestClient(socket);
  }

  /** Connects and authenticates with the first message, as the SPA does. */
  static async signedIn(url: string, token: string): Promise<TestClient> {
    const client = await TestClient.connect(url);
    await client.authenticate(token);
    return client;
  }

  /** Sends `{op:"auth"}` and waits for its acknowledgement. */
  async authenticate(token: string): Promise<ServerFrame> {
    this.send({ op: 'auth', token });
    return this.next((frame) => frame.type === 'authenticated' || (frame.type === 'error' && !frame.channel));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first frame matching `accept` that no earlier wait returned. */
  async next(accept: (frame: ServerFrame) => boolean, timeoutMs = 20_000): Promise<ServerFrame> {
    const find = () => this.frames.find((frame) => !this.taken.has(frame) && accept(frame));
    const found = find();
    if (found) return this.take(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no matching frame; received ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        const frame = find();
        if (!frame) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(this.take(frame));
      };
      this.listeners.add(check);
    });
  }

  /**
   * Subscribes, retrying while the gateway has not yet consumed the event that makes the channel
   * exist; returns the answer (`subscribed` or the last error). `retryForMs: 0` asks once.
   */
  async subscribe(channel: string, retryForMs = 30_000): Promise<ServerFrame> {
    const deadline = Date.now() + retryForMs;
    for (;;) {
      this.send({ op: 'subscribe', channel });
      const answer = await this.next(
        (frame) => frame.channel === channel && (frame.type === 'subscribed' || frame.type === 'error'),
      );
      if (answer.type === 'subscribed' || Date.now() >= deadline) return answer;
      await sleep(100);
    }
  }

  /**
   * Subscribes again until the snapshot shows what the test published (the gateway consumes the
   * topics asynchronously); returns that snapshot.
   */
  async snapshotOf(
    channel: string,
    accept: (snapshot: ServerFrame) => boolean,
    retryForMs = 30_000,
  ): Promise<ServerFrame> {
    const deadline = Date.now() + retryForMs;
    for (;;) {
      await this.subscribe(channel, retryForMs);
      const snapshot = await this.next((frame) => frame.channel === channel && frame.type === 'snapshot');
      if (accept(snapshot) || Date.now() >= deadline) return snapshot;
      await sleep(100);
    }
  }

  close(): void {
    this.socket.close();
  }

  private take(frame: ServerFrame): ServerFrame {
    this.taken.add(frame);
    return frame;
  }
}
