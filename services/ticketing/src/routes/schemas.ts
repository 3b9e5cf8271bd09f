import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

export const EventParams = z.object({ id: z.uuid() });
export const TicketTypeParams = z.object({ id: z.uuid(), ticketTypeId: z.uuid() });
export const RegistrationParams = z.object({ id: z.uuid() });

export const TicketTypeStatus = z.enum(['scheduled', 'on_sale', 'ended', 'sold_out']);
export const RegistrationStatus = z.enum(['pending', 'confirmed', 'cancelled', 'expired']);

export const TicketTypeBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5_000).nullish(),
  price: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO-4217 code'),
  quantity: z.number().int().min(0).max(1_000_000),
  salesStart: timestamp.nullish(),
  salesEnd: timestamp.nullish(),
  minPerOrder: z.number().int().min(1).max(1_000).optional(),
  maxPerOrder: z.number().int().min(1).max(1_000).optional(),
});

export const TicketType = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  price: z.number().int(),
  currency: z.string(),
  quantity: z.number().int(),
  available: z.number().int(),
  salesStart: z.string().nullable(),
  salesEnd: z.string().nullable(),
  minPerOrder: z.number().int(),
  maxPerOrder: z.number().int(),
  status: TicketTypeStatus,
});

export const Availability = z.object({
  eventId: z.uuid(),
  capacity: z.number().int(),
  available: z.number().int(),
  soldOut: z.boolean(),
  ticketTypes: z.array(z.object({ id: z.uuid(), available: z.number().int(), status: TicketTypeStatus })),
  version: z.number().int(),
});

export const RegistrationBody = z.object({
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  quantity: z.number().int().default(1),
  attendees: z
    .array(
      z.object({
        firstName: z.string().trim().min(1).max(100),
        lastName: z.string().trim().min(1).max(100),
        email: z.email().max(254),
      }),
    )
    .max(1_000)
    .optional(),
});

export const Ticket = z.object({ id: z.uuid(), code: z.string(), checkedInAt: z.string().nullable() });

export const Registration = z.object({
  id: z.uuid(),
  code: z.string(),
  userId: z.uuid(),
  eventId: z.uuid(),
  ticketTypeId: z.uuid(),
  quantity: z.number().int(),
  status: RegistrationStatus,
  amount: z.number().int(),
  currency: z.string(),
  expiresAt: z.string().nullable(),
  refundRequested: z.boolean(),
  tickets: z.array(Ticket),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
