/** Time and timers, injected so the coalescing rules are tested without waiting. */
export interface Scheduler {
  now(): number;
  setTimer(run: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimer: (run, delayMs) => setTimeout(run, delayMs),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Slot<V> {
  lastEmittedAt: number;
  pending?: { value: V };
  timer?: unknown;
}

/**
 * Leading and trailing throttle per key. The first change of a quiet key goes out at once, so a
 * lone update costs no latency; changes that follow within `windowMs` collapse into one trailing
 * emission carrying the latest value, so a burst costs each client one message per window.
 */
export class Coalescer<K, V> {
  private readonly slots = new Map<K, Slot<V>>();

  private readonly busyRetryMs: number;

  /**
   * `ready(key)` false means the previous emission is still on its way (a fan-out to thousands of
   * sockets): the key keeps coalescing until it is through, so a slow fan-out costs clients
   * intermediate values, not a growing queue of stale ones.
   */
  constructor(
    private readonly windowMs: number,
    private readonly emit: (key: K, value: V) => void,
    private readonly scheduler: Scheduler = realScheduler,
    private readonly ready: (key: K) => boolean = () => true,
  ) {
    this.busyRetryMs = Math.max(1, Math.min(windowMs, 10));
  }

  offer(key: K, value: V): void {
    const now = this.scheduler.now();
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastEmittedAt: Number.NEGATIVE_INFINITY };
      this.slots.set(key, slot);
    }
    if (slot.timer === undefined && now - slot.lastEmittedAt >= this.windowMs && this.ready(key)) {
      slot.lastEmittedAt = now;
      this.emit(key, value);
      return;
    }
    slot.pending = { value };
    if (slot.timer === undefined) {
      const delay = Math.max(slot.lastEmittedAt + this.windowMs - now, 0);
      slot.timer = this.scheduler.setTimer(() => this.flush(key), delay);
    }
  }

  /** Keys with a change still waiting for its window to close. */
  get pendingCount(): number {
    let count = 0;
    for (const slot of this.slots.values()) if (slot.pending) count++;
    return count;
  }

  close(): void {
    for (const slot of this.slots.values()) {
      if (slot.timer !== undefined) this.scheduler.clearTimer(slot.timer);
    }
    this.slots.clear();
  }

  private flush(key: K): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.timer = undefined;
    const pending = slot.pending;
    if (!pending) {
      this.slots.delete(key);
      return;
    }
    if (!this.ready(key)) {
      slot.timer = this.scheduler.setTimer(() => this.flush(key), this.busyRetryMs);
      return;
    }
    slot.pending = undefined;
    slot.lastEmittedAt = this.scheduler.now();
    // Watch one more window: further changes keep coalescing, and a quiet key is forgotten.
    slot.timer = this.scheduler.setTimer(() => this.flush(key), this.windowMs);
    this.emit(key, pending.value);
  }
}
