import type { Outbox } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { MailMessage } from '@echoplex/mailer';
import type { Logger } from '@echoplex/telemetry';
import type { IdentityDb } from '../db/schema';
import type { PasswordHasher } from '../domain/password-hashing';
import type { PasswordResetRepository } from '../repositories/password-reset.repository';
import type { RefreshTokenRepository } from '../repositories/refresh-token.repository';
import type { UserRepository } from '../repositories/user.repository';
import type { SigningKeys } from './signing-keys';

/** What the identity use cases work with; built once by the plugin, and by tests the same way. */
export interface IdentityDeps {
  db: Kysely<IdentityDb>;
  outbox: Outbox;
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  passwordResets: PasswordResetRepository;
  hasher: PasswordHasher;
  /** Verified against for unknown emails so that login time does not reveal whether an account exists. */
  dummyHash: string;
  signingKey: () => SigningKeys['current'];
  /** Hands a message to the mailer without waiting for it, so mail latency reveals nothing either. */
  sendMail: (message: MailMessage) => void;
  /** Where links in emails point: the one public origin. */
  publicUrl: string;
  clock: () => Date;
  log: Logger;
}
