import { z } from 'zod';
import type { Session } from '../commands/start-session';
import type { UserRow } from '../repositories/user.repository';

export const Email = z.email().max(254);
/** No length rule here: the password policy answers 422 `weak_password` with a helpful message. */
export const NewPassword = z.string();
/** Longer than any password the policy ever accepted; refused before hashing. */
export const PresentedPassword = z.string().min(1).max(1024);
export const PersonName = z.string().trim().min(1).max(100);
export const OpaqueToken = z.string().min(1).max(512);

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(['organizer', 'attendee']),
  phone: z.string().optional(),
  avatarUrl: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

export const SessionTokens = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
});

export const SignedIn = SessionTokens.extend({ user: User });

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    role: row.role,
    ...(row.phone === null ? {} : { phone: row.phone }),
    ...(row.avatarUrl === null ? {} : { avatarUrl: row.avatarUrl }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSignedIn(result: { user: UserRow } & Session) {
  return {
    user: toUser(result.user),
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn: result.expiresIn,
  };
}
