import type { BusTables } from '@echoplex/bus';
import type { ColumnType, Generated } from '@echoplex/db';
import type { JWK } from 'jose';

export type Role = 'organizer' | 'attendee';

export interface UsersTable {
  id: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  role: Role;
  phone: string | null;
  avatarUrl: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  publicJwk: ColumnType<JWK, string, string>;
  privateJwk: ColumnType<JWK, string, string>;
  createdAt: Generated<Date>;
  retiredAt: Date | null;
}

/** One row per refresh token ever issued; a login starts a family, every rotation adds to it. */
export interface RefreshTokensTable {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  createdAt: Generated<Date>;
  expiresAt: Date;
  /** Set when the token was exchanged for its successor; presenting it again is reuse. */
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface PasswordResetTokensTable {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Generated<Date>;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Failed logins of one account from one client address; the key is a digest of both. */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  lastFailedAt: Date;
}

export interface IdentityDb extends BusTables {
  users: UsersTable;
  signingKeys: SigningKeysTable;
  refreshTokens: RefreshTokensTable;
  passwordResetTokens: PasswordResetTokensTable;
  loginFailures: LoginFailuresTable;
}
