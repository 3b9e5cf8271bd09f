/** The sum of every sample of `name` on the app's `/metrics` whose labels include `labels`. */
export async function metricValue(
  app: { inject(options: { method: 'GET'; url: string }): Promise<{ statusCode: number; body: string }> },
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const { statusCode, body } = await app.inject({ method: 'GET', url: '/metrics' });
  if (statusCode !== 200) throw new Error(`/metrics answered ${statusCode}: ${body}`);
  let total = 0;
  for (const line of body.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample || sample[1] !== name) continue;
    const present = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) total += Number(sample[3]);
  }
  return total;
}
