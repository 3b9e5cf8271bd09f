import type { Registry } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket, not cumulative; the last one counts those above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

export interface FastHistogramConfiguration<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Upper bounds in ascending order, as for prom-client's `Histogram`. */
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A histogram for a hot path, exposed exactly as prom-client's `Histogram` with the same name,
 * labels and buckets: `/metrics` cannot tell them apart. prom-client's `observe` validates the label
 * set and turns it into a string key on every call, ~1 µs per request in the page-view route's
 * profile, the largest single cost the shared request pipeline added. Here the caller passes the
 * label values in `labelNames` order: one `Map` lookup finds the series, a short loop the bucket.
 */
export class FastHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly labelNames: readonly L[];
  private readonly bounds: readonly number[];
  private series = new Map<string, Series>();

  constructor(configuration: FastHistogramConfiguration<L>) {
    this.name = configuration.name;
    this.help = configuration.help;
    this.labelNames = configuration.labelNames;
    this.bounds = configuration.buckets;
    for (const registry of configuration.registers) {
      // The registry only calls what prom-client's own metrics offer: name, get/getForPromString, reset.
      registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    }
  }

  /** `labelValues` in the order of `labelNames`. */
  observe(labelValues: readonly string[], value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    if (labelValues.length !== this.labelNames.length) {
      throw new Error(`${this.name} takes ${this.labelNames.length} label values, got ${labelValues.length}`);
    }
    // With as many values as labels, and no NUL inside a stored series' values, two label sets
    // never share a key.
    const key = labelValues.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      if (labelValues.some((labelValue) => labelValue.includes('\u0000'))) {
        throw new Error(`${this.name} label values must not contain NUL`);
      }
      const labels: Record<string, string> = {};
      this.labelNames.forEach((label, index) => {
        labels[label] = labelValues[index] as string;
      });
      series = { labels, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && value > (this.bounds[bucket] as number)) bucket++;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += value;
    series.count += 1;
  }

  reset(): void {
    this.series = new Map();
  }

  /** What prom-client's registry formats for `/metrics`: the series' labels kept apart, as prom-client does. */
  async getForPromString() {
    const values: ExportedValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += series.counts[index] as number;
        values.push(this.value({ le: bound }, cumulative, bucketName, null, series));
      });
      values.push(
        this.value({ le: '+Inf' }, series.count, bucketName, null, series),
        this.value({}, series.sum, `${this.name}_sum`, undefined, series),
        this.value({}, series.count, `${this.name}_count`, undefined, series),
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (`getMetricsAsJSON`): each value's labels include the series' labels. */
  async get() {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  private value(
    labels: Record<string, string | number>,
    value: number,
    metricName: string,
    exemplar: null | undefined,
    series: Series,
  ): ExportedValue {
    return { labels, sharedLabels: series.labels, value, metricName, exemplar };
  }
}
