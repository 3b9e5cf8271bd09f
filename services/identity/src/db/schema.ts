import type { BusTables } from '@echoplex/bus';
import type { ColumnType, Generated } from '@echoplex/db';
import type { JWK } from 'jose';

export interface UsersTable {
  id: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  role: 'organizer' | 'attendee';
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

export interface IdentityDb extends BusTables {
  users: UsersTable;
  signingKeys: SigningKeysTable;
}
