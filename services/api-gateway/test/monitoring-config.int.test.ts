import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestDatabase } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbedded } from '../src/embedded';

const infra = resolve(import.meta.dirname, '../../../infra');

/** Names in a PromQL expression that are neither functions, keywords, label names nor durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)]
    .map((match) => match[0])
    .filter((name) => !['and', 'or', 'unless', 'offset', 'bool'].includes(name));
}

function alertExpressions(): string[] {
  const text = readFileSync(resolve(infra, 'prometheus/alerts.yml'), 'utf8');
  // Every rule's `expr:`, inline or as a block scalar (indented lines after `expr: |`).
  return [...text.matchAll(/expr:\s*(?:\|\s*\n((?:[ \t]{10,}.*\n)+)|(.+))/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
}

function dashboardExpressions(): { dashboard: string; expr: string }[] {
  const folder = resolve(infra, 'grafana/dashboards');
  return readdirSync(folder).flatMap((file) => {
    const dashboard = JSON.parse(readFileSync(resolve(folder, file), 'utf8'));
    return dashboard.panels.flatMap((panel: { targets?: { expr: string }[] }) =>
      (panel.targets ?? []).map((target) => ({ dashboard: file, expr: target.expr })),
    );
  });
}

// Keeps alerts and dashboards honest: every metric they query is one the platform registers.
// Real: every service plugin hosted as in `npm start`, on a fresh PostgreSQL database.
describe('monitoring configuration', () => {
  let platform: Awaited<ReturnType<typeof startEmbedded>>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const registered = new Set(['up']);

  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'monitoring');
    platform = await startEmbedded({
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      WEB_DIST: '/nonexistent',
      SEED: 'off',
    });
    const { body } = await platform.host.app.inject({ method: 'GET', url: '/metrics' });
    for (const [, name, type] of body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      registered.add(name as string);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) registered.add(`${name}${suffix}`);
    }
  });
  afterAll(async () => {
    await platform?.host.shutdown();
    await database?.drop();
  });

  it('alerts only on metrics the services register', () => {
    const expressions = alertExpressions();
    expect(expressions.length).toBeGreaterThanOrEqual(6);
    for (const expr of expressions) {
      for (const name of metricNames(expr)) expect(registered, `${name} in ${expr}`).toContain(name);
    }
  });

  it('draws dashboards only from metrics the services register', () => {
    const targets = dashboardExpressions();
    expect(new Set(targets.map((target) => target.dashboard))).toEqual(
      new Set(['overview.json', 'sales.json', 'pipeline.json']),
    );
    for (const { dashboard, expr } of targets) {
      for (const name of metricNames(expr)) expect(registered, `${name} in ${dashboard}: ${expr}`).toContain(name);
    }
  });

  it('covers the issue: seats sold, active holds, webhook failures, consumer lag, outbox age', () => {
    const queried = new Set(
      [...alertExpressions(), ...dashboardExpressions().map((target) => target.expr)].flatMap(metricNames),
    );
    for (const name of [
      'echoplex_seats_sold_total',
      'echoplex_active_holds',
      'echoplex_webhook_failures_total',
      'bus_consumer_lag_messages',
      'outbox_oldest_age_seconds',
      'realtime_connections',
    ]) {
      expect(queried).toContain(name);
    }
  });
});
