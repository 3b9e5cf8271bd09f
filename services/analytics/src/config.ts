import { z } from 'zod';
import type { AnalyticsOptions } from './plugin';

/** Settings of the analytics service beyond the common ones; parsed by whoever hosts it, never by the plugin. */
export const analyticsConfig = z.object({
  /**
   * Reporting consumers (members of the Kafka group) in this process. 0 makes an instance that
   * records page views and answers reports while other instances consume: ingest scales by
   * instances, consumers by partitions.
   */
  ANALYTICS_CONSUMER_MEMBERS: z.coerce.number().int().min(0).max(32).default(3),
});

/** The settings of an ingest-only instance: it records page views and answers reports, consuming nothing. */
export const ingestOnlySettings = { ANALYTICS_CONSUMER_MEMBERS: '0' };

export type AnalyticsConfig = z.infer<typeof analyticsConfig>;

export function analyticsOptionsFromConfig(config: AnalyticsConfig): AnalyticsOptions {
  return { consumerMembers: config.ANALYTICS_CONSUMER_MEMBERS };
}
