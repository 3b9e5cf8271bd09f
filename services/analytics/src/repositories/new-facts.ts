import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';

/**
 * A table of facts that are only ever inserted and count once, keyed by what identifies the fact
 * (a refund id, a ticket id, an event's session), not by the CloudEvent id: a fact announced again
 * under a new id finds its row and counts nothing.
 */
export interface FactTable<F> {
  name: string;
  keyOf(fact: F): string;
  /** Inserts the facts (distinct, in key order) where their key is not taken; the keys it inserted. */
  insertNew(trx: Transaction<AnalyticsDb>, facts: F[]): Promise<string[]>;
}

/**
 * Per transaction and table: the keys it tried to insert, and those it inserted and no handler has
 * counted yet. Keyed by the transaction, so a rolled-back transaction's facts disappear with it.
 */
const workingSets = new WeakMap<Transaction<any>, Map<string, { tried: Set<string>; uncounted: Set<string> }>>();

function workingSetOf(trx: Transaction<any>, table: FactTable<unknown>) {
  let tables = workingSets.get(trx);
  if (!tables) {
    tables = new Map();
    workingSets.set(trx, tables);
  }
  let workingSet = tables.get(table.name);
  if (!workingSet) {
    workingSet = { tried: new Set(), uncounted: new Set() };
    tables.set(table.name, workingSet);
  }
  return workingSet;
}

/**
 * Inserts the facts this transaction has not tried yet, in one statement. The insert is what claims
 * a fact: a concurrent transaction inserting the same key waits for this one to end and then finds
 * it taken, so the fact counts once whichever of them commits. Keys are inserted in sorted order,
 * so two transactions inserting overlapping sets cannot deadlock. Of facts with the same key, the
 * first is kept.
 */
export async function insertFacts<F>(trx: Transaction<AnalyticsDb>, table: FactTable<F>, facts: F[]): Promise<void> {
  const workingSet = workingSetOf(trx, table as FactTable<unknown>);
  const untried = new Map<string, F>();
  for (const fact of facts) {
    const key = table.keyOf(fact);
    if (!workingSet.tried.has(key) && !untried.has(key)) untried.set(key, fact);
  }
  if (untried.size === 0) return;
  const sorted = [...untried].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key] of sorted) workingSet.tried.add(key);
  const inserted = await table.insertNew(
    trx,
    sorted.map(([, fact]) => fact),
  );
  for (const key of inserted) workingSet.uncounted.add(key);
}

/**
 * The facts to count: those this transaction inserted, each returned once, to its first mention
 * (the same refund twice in one batch counts once). Facts that `insertFacts` did not cover before
 * are inserted here.
 */
export async function takeNewFacts<F>(trx: Transaction<AnalyticsDb>, table: FactTable<F>, facts: F[]): Promise<F[]> {
  await insertFacts(trx, table, facts);
  const { uncounted } = workingSetOf(trx, table as FactTable<unknown>);
  return facts.filter((fact) => uncounted.delete(table.keyOf(fact)));
}
