import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection string of the run's PostgreSQL; tests create their own databases from it. */
    databaseUrl: string;
    kafkaBrokers: string[];
  }
}
