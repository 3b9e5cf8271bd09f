/**
 * The `version` of every message on a channel: strictly greater than anything sent on that channel
 * before, and never below a floor derived from the data (the sum of the ticket types' own versions
 * for an event channel), so that numbers from different gateway instances stay comparable.
 */
export class ChannelVersions {
  private readonly last = new Map<string, number>();

  /** The version of a new message. */
  next(channel: string, floor: number): number {
    const version = Math.max((this.last.get(channel) ?? 0) + 1, floor);
    this.last.set(channel, version);
    return version;
  }

  /** The version of a snapshot: the state as of now, so every later message is numbered above it. */
  current(channel: string, floor: number): number {
    const version = Math.max(this.last.get(channel) ?? 0, floor);
    this.last.set(channel, version);
    return version;
  }

  /** For channels whose floor is the clock: nothing is lost by forgetting them when nobody listens. */
  forget(channel: string): void {
    this.last.delete(channel);
  }
}
