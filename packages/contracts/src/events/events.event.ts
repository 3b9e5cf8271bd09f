import { z } from 'zod';

/** The event as other services need it: enough to decide whether it can be sold, not its prose. */
export const EventState = z.object({
  eventId: z.uuid(),
  organizerId: z.uuid(),
  name: z.string(),
  status: z.enum(['draft', 'published', 'cancelled', 'deleted']),
  startTime: z.iso.datetime(),
  endTime: z.iso.datetime(),
  capacity: z.number().int().positive(),
  city: z.string().nullable().optional(),
  categories: z.array(z.string()),
  /** Until when attendees may cancel a paid registration for a refund themselves; absent: the start. */
  refundPolicy: z.object({ selfServiceUntil: z.iso.datetime() }).optional(),
  /** Tickets one account may hold for the event across its registrations; null or absent: no such cap. */
  maxTicketsPerAccount: z.number().int().positive().nullable().optional(),
});
export type EventState = z.infer<typeof EventState>;

export const EventCreated = EventState;
export type EventCreated = EventState;
export const EventUpdated = EventState;
export type EventUpdated = EventState;
export const EventPublished = EventState;
export type EventPublished = EventState;
export const EventUnpublished = EventState;
export type EventUnpublished = EventState;
export const EventCancelled = EventState;
export type EventCancelled = EventState;
export const EventDeleted = z.object({ eventId: z.uuid(), organizerId: z.uuid() });
export type EventDeleted = z.infer<typeof EventDeleted>;
