export interface InboundLimit {
  /** Frames a client may send per second, sustained. */
  perSecond: number;
  /** Frames it may send at once (a page load subscribing to many channels), and how far past the limit it may go before it is closed. */
  burst: number;
}

/**
 * - `accepted`: handle the frame.
 * - `refused`: the first frame over the limit; tell the client once.
 * - `ignored`: further frames over the limit, dropped unanswered so a flood is not echoed back.
 * - `exceeded`: the client kept sending a whole burst while refused; close the connection.
 */
export type Admission = 'accepted' | 'refused' | 'ignored' | 'exceeded';

/**
 * A token bucket over the frames (messages and pings) one client sends. Tokens refill at `perSecond`
 * up to `burst`; a frame without a token is refused and still counted, so a client that goes on
 * sending ends `burst` frames below zero and is closed, while one that slows down recovers.
 */
export class InboundRate {
  private tokens: number;
  private updatedAt: number;
  private refusing = false;

  constructor(
    private readonly limit: InboundLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = now;
  }

  admit(now: number): Admission {
    const { perSecond, burst } = this.limit;
    this.tokens = Math.min(burst, this.tokens + ((now - this.updatedAt) * perSecond) / 1000);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusing = false;
      return 'accepted';
    }
    this.tokens -= 1;
    if (this.tokens <= -burst) return 'exceeded';
    if (this.refusing) return 'ignored';
    this.refusing = true;
    return 'refused';
  }
}
