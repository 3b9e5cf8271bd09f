import { z } from 'zod';

export const PageViewRecorded = z.object({
  eventId: z.uuid(),
  sessionId: z.string().max(128).nullable(),
  referrer: z.string().max(2048).nullable(),
  occurredAt: z.iso.datetime(),
});
export type PageViewRecorded = z.infer<typeof PageViewRecorded>;

/**
 * Several views of one event in one message, as the page-view endpoint produces them: one Kafka
 * record per event per flush instead of one per view keeps producing (and consuming) cheap at the
 * hottest public endpoint. Each view counts as a `page_view.recorded` would.
 */
export const PageViewsRecorded = z.object({
  eventId: z.uuid(),
  views: z
    .array(
      z.object({
        sessionId: z.string().max(128).nullable(),
        referrer: z.string().max(2048).nullable(),
        occurredAt: z.iso.datetime(),
      }),
    )
    .min(1)
    .max(1000),
});
export type PageViewsRecorded = z.infer<typeof PageViewsRecorded>;
