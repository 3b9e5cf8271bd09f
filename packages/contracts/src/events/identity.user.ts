import { z } from 'zod';

const Role = z.enum(['organizer', 'attendee']);

export const UserRegistered = z.object({
  userId: z.uuid(),
  email: z.email(),
  firstName: z.string(),
  lastName: z.string(),
  role: Role,
});
export type UserRegistered = z.infer<typeof UserRegistered>;

export const UserUpdated = z.object({
  userId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  role: Role,
});
export type UserUpdated = z.infer<typeof UserUpdated>;
