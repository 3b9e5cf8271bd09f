import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';

export interface WorkingSetTable<Row, Mention> {
  /** A row's or a mention's id: mentions name the rows they need. */
  idOf(item: Row | Mention): string;
  /** Reads the mentioned rows in one statement, creating those not known yet, and locks them. */
  readAndLock(trx: Transaction<AnalyticsDb>, mentions: Mention[]): Promise<Row[]>;
}

/**
 * Rows a transaction works on: read and locked once for the whole batch of facts, changed in memory
 * by the handlers, written back together just before the commit, so a batch costs two statements per
 * table instead of two per fact. Keyed by the transaction, so a rolled-back transaction's changes
 * disappear with it.
 */
export class WorkingSet<Row, Mention> {
  private readonly transactions = new WeakMap<Transaction<any>, { rows: Map<string, Row>; changed: Set<string> }>();

  constructor(private readonly table: WorkingSetTable<Row, Mention>) {}

  private of(trx: Transaction<any>) {
    let workingSet = this.transactions.get(trx);
    if (!workingSet) {
      workingSet = { rows: new Map(), changed: new Set() };
      this.transactions.set(trx, workingSet);
    }
    return workingSet;
  }

  /**
   * Reads and locks the mentioned rows this transaction does not hold yet, in one statement and in
   * id order, so two transactions locking overlapping sets cannot deadlock.
   */
  async lock(trx: Transaction<AnalyticsDb>, mentions: Mention[]): Promise<void> {
    const rows = this.of(trx).rows;
    const unknown = new Map<string, Mention>();
    for (const mention of mentions) {
      const id = this.table.idOf(mention);
      if (!rows.has(id)) unknown.set(id, mention);
    }
    if (unknown.size === 0) return;
    const sorted = [...unknown].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, mention]) => mention);
    for (const row of await this.table.readAndLock(trx, sorted)) rows.set(this.table.idOf(row), row);
  }

  /** The row as this transaction knows it, locked (alone, if `lock` did not cover it). */
  async rowOf(trx: Transaction<AnalyticsDb>, mention: Mention): Promise<Row> {
    const id = this.table.idOf(mention);
    if (!this.of(trx).rows.has(id)) await this.lock(trx, [mention]);
    return this.of(trx).rows.get(id) as Row;
  }

  /** The row's new state, written by `takeChanged`'s caller. */
  change(trx: Transaction<any>, row: Row): void {
    const workingSet = this.of(trx);
    const id = this.table.idOf(row);
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
