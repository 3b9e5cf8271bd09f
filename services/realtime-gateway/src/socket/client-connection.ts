import type { Writable } from 'node:stream';
import type { Principal } from '@echoplex/http';
import { WebSocket } from 'ws';
import { type Admission, type InboundLimit, InboundRate } from './inbound-rate';

export type DropReason = 'backpressure' | 'heartbeat' | 'rate_limit';
export type Delivery = 'sent' | 'backpressure' | 'closed';

/** One browser's socket: who it is, what it listens to, and whether it keeps up. */
export class ClientConnection {
  principal: Principal | null = null;
  /** Epoch ms at which the access token expires; private channels end then unless the client re-authenticates. */
  principalExpiresAt: number | null = null;
  readonly subscriptions = new Set<string>();
  /** Cleared at each heartbeat, set again by a pong or any message; still cleared at the next one means dead. */
  alive = true;
  /** Client messages are handled one after the other, so a subscribe that follows an auth sees its result. */
  queue: Promise<void> = Promise.resolve();
  private readonly inbound: InboundRate;

  /**
   * `wire` is the upgraded TCP socket under `socket`: channel messages are framed once for all
   * subscribers (see text-frame.ts) and written to it as they are, so several messages queued for
   * this client cost one write. `ws` itself writes only control frames to it (ping, pong, close),
   * each whole, so the two never interleave inside a frame.
   */
  constructor(
    readonly socket: WebSocket,
    private readonly wire: Pick<Writable, 'write'>,
    private readonly maxBufferedBytes: number,
    inboundLimit: InboundLimit,
    private readonly onDrop: (client: ClientConnection, reason: DropReason) => void,
  ) {
    this.inbound = new InboundRate(inboundLimit, performance.now());
  }

  /** Counts a frame the client sent against its rate limit. */
  admit(): Admission {
    return this.inbound.admit(performance.now());
  }

  /**
   * Hands whole WebSocket frames to the socket without waiting for them. A client whose backlog
   * would pass the limit is dropped: its memory is bounded and nobody else waits for it.
   */
  deliver(frames: Buffer): Delivery {
    if (this.socket.readyState !== WebSocket.OPEN) return 'closed';
    if (this.socket.bufferedAmount + frames.length > this.maxBufferedBytes) {
      this.drop('backpressure');
      return 'backpressure';
    }
    this.wire.write(frames);
    return 'sent';
  }

  drop(reason: DropReason): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.onDrop(this, reason);
    this.socket.terminate();
  }

  /** Closes with 1008 (policy violation) and a reason the client can read, unlike `drop`. */
  closeForFlooding(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.onDrop(this, 'rate_limit');
    this.socket.close(1008, 'rate limit exceeded');
  }
}
