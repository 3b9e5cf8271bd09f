import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastHistogram } from '../src/fast-histogram';

const configuration = {
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
};

/** The same observations into prom-client's own histogram and into ours, each on a registry like a service's. */
function registriesAfter(observations: [string, string, string, number][]) {
  const reference = new Registry();
  const fast = new Registry();
  for (const registry of [reference, fast]) registry.setDefaultLabels({ service: 'test' });
  const histogram = new Histogram({
    ...configuration,
    labelNames: [...configuration.labelNames],
    registers: [reference],
  });
  const fastHistogram = new FastHistogram({ ...configuration, registers: [fast] });
  for (const [method, route, status, value] of observations) {
    histogram.observe({ method, route, status }, value);
    fastHistogram.observe([method, route, status], value);
  }
  return { reference, fast, fastHistogram };
}

describe('FastHistogram', () => {
  // Values on, between, below and above the bounds, over several series, in an order that interleaves them.
  const observations: [string, string, string, number][] = [];
  const values = [0, 0.0049, 0.005, 0.0051, 0.01, 0.03, 0.1, 0.2500001, 0.7, 1, 2.4, 5, 5.0001, 12, 1e-9];
  values.forEach((value, index) => {
    observations.push(['POST', '/api/analytics/page-views', '202', value]);
    observations.push(['GET', '/api/events/:id', index % 3 ? '200' : '404', value * 3]);
    if (index % 4 === 0) observations.push(['GET', 'unmatched', '404', value / 7]);
  });

  it('exposes for /metrics exactly what prom-client exposes for the same observations', async () => {
    const { reference, fast } = registriesAfter(observations);
    const exposed = await fast.metrics();
    expect(exposed).toBe(await reference.metrics());
    expect(exposed).toContain(
      'http_request_duration_seconds_bucket{le="0.005",service="test",method="POST",route="/api/analytics/page-views",status="202"} 4',
    );
    expect(exposed).toContain(
      'http_request_duration_seconds_count{service="test",method="GET",route="unmatched",status="404"} 4',
    );
  });

  it('gives the same JSON as prom-client, and nothing after a reset', async () => {
    const { reference, fast, fastHistogram } = registriesAfter(observations);
    expect(await fast.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    fastHistogram.reset();
    expect(await fast.metrics()).toBe(await registriesAfter([]).reference.metrics());
  });

  it('refuses what prom-client refuses: a value that is not a finite number', () => {
    const { fastHistogram } = registriesAfter([]);
    expect(() => fastHistogram.observe(['GET', '/', '200'], Number.NaN)).toThrow(TypeError);
    expect(() => fastHistogram.observe(['GET', '/'], 0.1)).toThrow(/3 label values/);
  });

  it('keeps label sets apart that would join to the same text', async () => {
    const { fastHistogram, fast } = registriesAfter([['GET', '/a', '200', 0.1]]);
    expect(() => fastHistogram.observe(['GET\u0000/a', '200'], 0.1)).toThrow(/3 label values/);
    expect(() => fastHistogram.observe(['GET', '/a\u0000200', ''], 0.1)).toThrow(/NUL/);
    expect(await fast.metrics()).toContain(
      'http_request_duration_seconds_count{service="test",method="GET",route="/a",status="200"} 1',
    );
  });

  it('is registered under its name, so a second metric of that name is refused as with prom-client', () => {
    const registry = new Registry();
    new FastHistogram({ ...configuration, registers: [registry] });
    expect(
      () => new Histogram({ ...configuration, labelNames: [...configuration.labelNames], registers: [registry] }),
    ).toThrow(/already been registered/);
  });
});
