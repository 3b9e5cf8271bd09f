/** Fixed 0.25 ms buckets up to 30 s: enough resolution for p99 without keeping every sample. */
export class LatencyHistogram {
  private static readonly resolutionMs = 0.25;
  private readonly buckets = new Uint32Array(30_000 / LatencyHistogram.resolutionMs + 1);
  count = 0;
  private max = 0;

  record(ms: number): void {
    const index = Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms / LatencyHistogram.resolutionMs)));
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    this.count++;
    this.max = Math.max(this.max, ms);
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) return i * LatencyHistogram.resolutionMs;
    }
    return this.max;
  }

  summary(): { count: number; p50: number; p95: number; p99: number; max: number } {
    return {
      count: this.count,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: Math.round(this.max * 10) / 10,
    };
  }
}
