export {
  type ColumnType,
  type Generated,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
export * from './database';
export * from './embedded';
export * from './errors';
export * from './listener';
export * from './migrator';
export * from './roles';
