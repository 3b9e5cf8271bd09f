import { problems } from '@echoplex/http';
import { z } from 'zod';
import { eventCategories, maxCategoriesPerEvent } from './categories';
import { isCountryCode } from './countries';
import { isTimeZone } from './time-zones';

export const maxCapacity = 1_000_000;
/** Longer spans are almost certainly a typo in the year. */
export const maxEventDurationMs = 366 * 24 * 60 * 60 * 1000;

/** An ISO-8601 instant with `Z` or an offset; zod's pattern already refuses days that do not exist. */
export const IsoInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(10_000),
  startTime: IsoInstant,
  endTime: IsoInstant,
  timezone: z.string().refine(isTimeZone, 'is not an IANA time zone such as Europe/Berlin'),
  location: z.string().trim().min(1).max(300),
  city: z.string().trim().min(1).max(100).nullable(),
  country: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .refine(isCountryCode, 'is not an ISO 3166-1 alpha-2 country code such as DE')
    .nullable(),
  online: z.boolean(),
  capacity: z.number().int().min(1).max(maxCapacity),
  categories: z
    .array(z.enum(eventCategories))
    .max(maxCategoriesPerEvent)
    .transform((categories) => [...new Set(categories)]),
  refundPolicy: z.object({
    /** Until when attendees may cancel a paid registration for a refund themselves; null: until the start. */
    selfServiceUntil: IsoInstant.nullable(),
  }),
  /** Tickets one account may hold for the event, across ticket types; null: no cap beyond maxPerOrder. */
  maxTicketsPerAccount: z.number().int().min(1).max(maxCapacity).nullable(),
};

/** The body of `POST` and `PUT`: a whole event; what is left out takes its default. */
export const EventInput = z.object({
  name: fields.name,
  description: fields.description.default(''),
  startTime: fields.startTime,
  endTime: fields.endTime,
  timezone: fields.timezone.default('UTC'),
  location: fields.location,
  city: fields.city.optional().transform((value) => value ?? null),
  country: fields.country.optional().transform((value) => value ?? null),
  online: fields.online.default(false),
  capacity: fields.capacity,
  categories: fields.categories.default([]),
  refundPolicy: fields.refundPolicy.default({ selfServiceUntil: null }),
  maxTicketsPerAccount: fields.maxTicketsPerAccount.default(null),
});
export type EventInput = z.infer<typeof EventInput>;

/** The body of `PATCH`: any subset; `null` clears an optional field. */
export const EventPatch = z.object({
  name: fields.name.optional(),
  description: fields.description.optional(),
  startTime: fields.startTime.optional(),
  endTime: fields.endTime.optional(),
  timezone: fields.timezone.optional(),
  location: fields.location.optional(),
  city: fields.city.optional(),
  country: fields.country.optional(),
  online: fields.online.optional(),
  capacity: fields.capacity.optional(),
  categories: fields.categories.optional(),
  refundPolicy: fields.refundPolicy.optional(),
  maxTicketsPerAccount: fields.maxTicketsPerAccount.optional(),
});
export type EventPatch = z.infer<typeof EventPatch>;

/** An input as the event row stores it: the refund policy is one nullable column. */
export function eventColumnsOf<T extends { refundPolicy?: { selfServiceUntil: Date | null } }>({
  refundPolicy,
  ...rest
}: T): Omit<T, 'refundPolicy'> & { selfServiceRefundUntil?: Date | null } {
  return refundPolicy ? { ...rest, selfServiceRefundUntil: refundPolicy.selfServiceUntil } : rest;
}

/** End after start, within a year: checked on the merged event so a PATCH of one end is judged too. */
export function assertSchedule(schedule: {
  startTime: Date;
  endTime: Date;
  selfServiceRefundUntil?: Date | null;
}): void {
  if (schedule.endTime <= schedule.startTime) {
    throw problems.unprocessable('invalid_date_range', 'endTime must be after startTime.', [
      { path: 'body.endTime', message: 'must be after startTime' },
    ]);
  }
  if (schedule.endTime.getTime() - schedule.startTime.getTime() > maxEventDurationMs) {
    throw problems.unprocessable('invalid_date_range', 'An event may last at most 366 days.', [
      { path: 'body.endTime', message: 'must be at most 366 days after startTime' },
    ]);
  }
  // Refunds on request after the event would pay back tickets that were used.
  if (schedule.selfServiceRefundUntil && schedule.selfServiceRefundUntil > schedule.endTime) {
    throw problems.unprocessable('invalid_date_range', 'refundPolicy.selfServiceUntil must not be after endTime.', [
      { path: 'body.refundPolicy.selfServiceUntil', message: 'must not be after endTime' },
    ]);
  }
}

/** The deadline attendees' own refunds end at: the organizer's, or the event's start. */
export function selfServiceRefundDeadline(event: { startTime: Date; selfServiceRefundUntil: Date | null }): Date {
  return event.selfServiceRefundUntil ?? event.startTime;
}
