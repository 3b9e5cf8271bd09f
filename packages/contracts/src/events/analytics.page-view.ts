import { z } from 'zod';

export const PageViewRecorded = z.object({
  eventId: z.uuid(),
  sessionId: z.string().max(128).nullable(),
  referrer: z.string().max(2048).nullable(),
  occurredAt: z.iso.datetime(),
});
export type PageViewRecorded = z.infer<typeof PageViewRecorded>;
