import { type Kysely, sql } from '@echoplex/db';
import type { IdentityDb } from '../db/schema';
import type { LoginFailures } from '../domain/login-backoff';

type Db = Kysely<IdentityDb>;

export class LoginFailureRepository {
  constructor(private readonly db: Db) {}

  find(key: string): Promise<LoginFailures | undefined> {
    return this.db
      .selectFrom('loginFailures')
      .select(['failures', 'lastFailedAt'])
      .where('key', '=', key)
      .executeTakeFirst();
  }

  /**
   * Counts one failure in a single statement, so concurrent failures are all counted; a count whose
   * last failure is older than `forgetBefore` starts again. Rows nobody failed on since then go too.
   */
  async recordFailure(key: string, now: Date, forgetBefore: Date): Promise<void> {
    await this.db
      .insertInto('loginFailures')
      .values({ key, failures: 1, lastFailedAt: now })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          failures: sql<number>`case when login_failures.last_failed_at < ${forgetBefore} then 1 else login_failures.failures + 1 end`,
          lastFailedAt: now,
        }),
      )
      .execute();
    await this.db.deleteFrom('loginFailures').where('lastFailedAt', '<', forgetBefore).execute();
  }

  async forget(key: string): Promise<void> {
    await this.db.deleteFrom('loginFailures').where('key', '=', key).execute();
  }
}
