/**
 * Runs at most `slots` tasks at once; up to `maxWaiting` more wait in arrival order, and a task
 * arriving when that queue is full is refused with `whenFull()` at once rather than waiting without
 * bound: under a flood, a quick refusal is better than every caller timing out.
 */
export class ConcurrencyLimit {
  private readonly waiting: (() => void)[] = [];

  constructor(
    private slots: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
    private readonly whenFull: () => Error = () => new Error('the queue is full'),
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.slots > 0) this.slots -= 1;
    else if (this.waiting.length >= this.maxWaiting) throw this.whenFull();
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.slots += 1;
    }
  }
}
