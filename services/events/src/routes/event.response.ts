import { z } from 'zod';
import { selfServiceRefundDeadline } from '../domain/event-input';
import { eventStatuses } from '../domain/event-status';
import type { EventRow } from '../repositories/event.repository';

export const EventResponse = z.object({
  id: z.uuid(),
  organizerId: z.uuid(),
  name: z.string(),
  description: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  /** IANA zone the organizer schedules in; times stay UTC, this is for display. */
  timezone: z.string(),
  location: z.string(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  online: z.boolean(),
  capacity: z.number().int(),
  categories: z.array(z.string()),
  imageUrl: z.string().nullable(),
  status: z.enum(eventStatuses),
  soldOut: z.boolean(),
  /** `selfServiceUntil`: the organizer's deadline, or the start when none was set. */
  refundPolicy: z.object({ selfServiceUntil: z.string() }),
  maxTicketsPerAccount: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventResponse = z.infer<typeof EventResponse>;

export const EventIdParams = z.object({ id: z.uuid() });

/** HTTP-side settings the routes share. */
export interface RouteSettings {
  /** Prefix of links the API hands out (`PUBLIC_URL`); empty means same-origin relative links. */
  publicUrl: string;
  rateLimits: boolean;
}

export function imageUrlOf(event: Pick<EventRow, 'id' | 'imageKey'>, settings: RouteSettings): string | null {
  if (!event.imageKey) return null;
  const file = event.imageKey.slice(event.imageKey.lastIndexOf('/') + 1);
  return `${settings.publicUrl}/api/events/${event.id}/image/${file}`;
}

export function presentEvent(event: EventRow, settings: RouteSettings): EventResponse {
  return {
    id: event.id,
    organizerId: event.organizerId,
    name: event.name,
    description: event.description,
    startTime: event.startTime.toISOString(),
    endTime: event.endTime.toISOString(),
    timezone: event.timezone,
    location: event.location,
    city: event.city,
    country: event.country,
    online: event.online,
    capacity: event.capacity,
    categories: event.categories,
    imageUrl: imageUrlOf(event, settings),
    status: event.status,
    soldOut: event.soldOut,
    refundPolicy: { selfServiceUntil: selfServiceRefundDeadline(event).toISOString() },
    maxTicketsPerAccount: event.maxTicketsPerAccount,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}
