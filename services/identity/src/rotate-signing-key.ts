/**
 * Rotates the access-token signing key: `DATABASE_URL=... npm run rotate-signing-key -w @echoplex/identity`.
 * Running instances start signing with the new key at once; tokens signed with older keys keep
 * verifying until they expire, so nobody is logged out.
 */
import { createDatabase, type Kysely, migrateSchema } from '@echoplex/db';
import { commonConfig, parseConfig } from '@echoplex/http';
import { rotateSigningKey } from './commands/signing-keys';
import type { IdentityDb } from './db/schema';
import { identityService } from './plugin';
import { SigningKeyRepository } from './repositories/signing-key.repository';

const config = parseConfig(commonConfig, process.env);
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
const database = createDatabase<unknown>({
  url: config.DATABASE_URL,
  poolMax: 1,
  applicationName: 'identity-rotate-key',
});
try {
  await migrateSchema(database.kysely, identityService.schema, identityService.migrations);
  const db = database.kysely.withSchema(identityService.schema) as unknown as Kysely<IdentityDb>;
  const { kid, retired } = await rotateSigningKey(new SigningKeyRepository(db), new Date());
  console.log(`signing with key ${kid}; retired ${retired.length === 0 ? 'none' : retired.join(', ')}`);
} finally {
  await database.close();
}
