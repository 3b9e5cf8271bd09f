import { z } from 'zod';
import { defaultMaxImagePixels } from './images/image-rendition';
import { defaultUploadsDir, type EventsServiceOptions } from './plugin';

/** Settings of the events service beyond the common ones; parsed by whoever hosts it, never by the plugin. */
export const eventsConfig = z.object({
  UPLOADS_DIR: z.string().min(1).default(defaultUploadsDir),
  /** Largest image upload in pixels (width × height), checked before decoding. */
  IMAGE_MAX_PIXELS: z.coerce.number().int().positive().default(defaultMaxImagePixels),
});
export type EventsConfig = z.infer<typeof eventsConfig>;

export function eventsOptionsFromConfig(config: EventsConfig): EventsServiceOptions {
  return { uploadsDir: config.UPLOADS_DIR, maxImagePixels: config.IMAGE_MAX_PIXELS };
}
