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
});
export type EventPatch = z.infer<typeof EventPatch>;

/** End after start, within a year: checked on the merged event so a PATCH of one end is judged too. */
export function assertSchedule(schedule: { startTime: Date; endTime: Date }): void {
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
}
