import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Tally } from './clients';
import type { InvariantReport } from './invariants';

const resultsDir = resolve(import.meta.dirname, '../.data/chaos-results');

/**
 * Writes one scenario's figures to `.data/chaos-results/<scenario>.json` (and the log), from which
 * chaos/RESILIENCE.md records the last full run.
 */
export function recordResult(
  scenario: string,
  result: { tally: Tally; faults: string[]; outcomes: Record<string, number>; report: InvariantReport },
) {
  const record = {
    scenario,
    finishedAt: new Date().toISOString(),
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    requestsSent: result.tally.requests,
    answers: result.tally.byStatus(),
    faultsInjected: result.faults,
    outcomes: result.outcomes,
    figures: result.report.figures,
    invariantViolations: result.report.violations.length,
    violations: result.report.violations,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(resolve(resultsDir, `${scenario}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`chaos ${scenario}: ${JSON.stringify(record)}`);
}
