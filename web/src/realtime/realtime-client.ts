/** One WebSocket per tab to `/ws`, shared by every live view (protocol: API.md, Realtime). */

export interface ChannelMessage<T = any> {
  channel: string;
  type: string;
  data: T;
  version?: number;
}

export interface ServerError {
  type: 'error';
  code: string;
  channel?: string;
  detail?: string;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

type ChannelListener = (message: ChannelMessage) => void;

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface RealtimeOptions {
  /** `ws://host/ws` or `wss://host/ws`. */
  url: string;
  accessToken: () => string | null;
  openSocket?: (url: string) => SocketLike;
  /** Backoff before reconnect attempt n (from 0); jittered so a restart is not met by a stampede. */
  backoffMs?: (attempt: number) => number;
}

const open = 1;

export function defaultBackoff(attempt: number): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export function socketUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * Subscriptions outlive sockets: after a drop the client reconnects with backoff and subscribes to
 * every channel again, and each channel's first message (a snapshot or totals) brings its state up to
 * date. Listeners receive the channel's messages, plus `{ type: 'error' }` for refused subscriptions.
 */
export class RealtimeClient {
  private socket: SocketLike | null = null;
  private readonly channels = new Map<string, Set<ChannelListener>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'idle';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Private channels the server ended when the token expired: subscribed again after `auth`. */
  private readonly awaitingAuth = new Set<string>();
  private readonly openSocket: (url: string) => SocketLike;
  private readonly backoff: (attempt: number) => number;

  constructor(private readonly options: RealtimeOptions) {
    this.openSocket = options.openSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.backoff = options.backoffMs ?? defaultBackoff;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  subscribe(channel: string, listener: ChannelListener): () => void {
    let listeners = this.channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
      this.send({ op: 'subscribe', channel });
    }
    listeners.add(listener);
    this.ensureConnected();
    return () => {
      const current = this.channels.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size > 0) return;
      this.channels.delete(channel);
      this.awaitingAuth.delete(channel);
      this.send({ op: 'unsubscribe', channel });
      if (this.channels.size === 0) this.disconnect();
    };
  }

  /** A refreshed access token: private subscriptions would end when the old one expires. */
  authenticate(token: string | null): void {
    if (token) {
      this.send({ op: 'auth', token });
      return;
    }
    // Signed out: start over anonymously so private channels stop at once.
    if (this.socket) {
      this.dropSocket();
      this.ensureConnected();
    }
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.channels.clear();
    this.disconnect();
  }

  private ensureConnected(): void {
    if (this.socket || this.retryTimer || this.channels.size === 0) return;
    this.connect();
  }

  private connect(): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: SocketLike;
    try {
      socket = this.openSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      // The token goes in the first message, never in the URL, which proxies and access logs keep.
      // The gateway handles messages in order, so the subscriptions that follow are already signed in.
      const token = this.options.accessToken();
      if (token) this.send({ op: 'auth', token });
      for (const channel of this.channels.keys()) this.send({ op: 'subscribe', channel });
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.channels.size > 0) this.scheduleReconnect();
      else this.setState('idle');
    };
    socket.onerror = () => {
      // Always followed by close, which decides about reconnecting.
    };
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    const delay = this.backoff(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.channels.size > 0) this.connect();
    }, delay);
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: ChannelMessage | ServerError | { type: string; channel?: string };
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (message.type === 'authenticated') {
      for (const channel of this.awaitingAuth) this.send({ op: 'subscribe', channel });
      this.awaitingAuth.clear();
      return;
    }
    if (!message.channel) return;
    if (message.type === 'error' && (message as ServerError).code === 'unauthorized') {
      this.awaitingAuth.add(message.channel);
    }
    const listeners = this.channels.get(message.channel);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(message as ChannelMessage);
  }

  private send(frame: Record<string, unknown>): void {
    if (this.socket?.readyState === open) this.socket.send(JSON.stringify(frame));
  }

  private disconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.dropSocket();
    this.setState('idle');
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'done');
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
