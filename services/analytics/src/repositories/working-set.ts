import type { Transaction } from '@echoplex/db';

/**
 * Rows a transaction works on: read and locked once for the whole batch of facts, changed in memory
 * by the handlers, written back together just before the commit, so a batch costs two statements per
 * table instead of two per fact. Keyed by the transaction, so a rolled-back transaction's changes
 * disappear with it.
 */
export class WorkingSet<Row> {
  private readonly transactions = new WeakMap<Transaction<any>, { rows: Map<string, Row>; changed: Set<string> }>();

  private of(trx: Transaction<any>) {
    let workingSet = this.transactions.get(trx);
    if (!workingSet) {
      workingSet = { rows: new Map(), changed: new Set() };
      this.transactions.set(trx, workingSet);
    }
    return workingSet;
  }

  /** The row as this transaction read (and locked) or changed it. */
  get(trx: Transaction<any>, id: string): Row | undefined {
    return this.transactions.get(trx)?.rows.get(id);
  }

  /** A row this transaction has just read and locked. */
  add(trx: Transaction<any>, id: string, row: Row): void {
    this.of(trx).rows.set(id, row);
  }

  /** The row's new state, written by `takeChanged`'s caller. */
  change(trx: Transaction<any>, id: string, row: Row): void {
    const workingSet = this.of(trx);
    workingSet.rows.set(id, row);
    workingSet.changed.add(id);
  }

  /** The changed rows in id order (the order their locks are taken in), and the transaction forgotten. */
  takeChanged(trx: Transaction<any>): Row[] {
    const workingSet = this.transactions.get(trx);
    this.transactions.delete(trx);
    if (!workingSet) return [];
    return [...workingSet.changed].sort().map((id) => workingSet.rows.get(id) as Row);
  }
}
