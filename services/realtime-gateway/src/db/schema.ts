import type { ColumnType, Generated } from 'kysely';

export interface ReplayLogTable {
  seq: Generated<number>;
  topic: string;
  key: string;
  headers: ColumnType<Record<string, string>, string, string>;
  value: string;
  compactionKey: string | null;
}

export interface RealtimeDb {
  replayLog: ReplayLogTable;
}
