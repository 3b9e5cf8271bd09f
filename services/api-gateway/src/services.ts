import { analyticsService, pageViewIngestPath } from '@echoplex/analytics';
import { ingestOnlySettings } from '@echoplex/analytics/config';
import { createEventsService } from '@echoplex/events';
import { eventsConfig, eventsOptionsFromConfig } from '@echoplex/events/config';
import { parseConfig, type ServiceDefinition } from '@echoplex/http';
import { createIdentityService } from '@echoplex/identity';
import { identityConfig } from '@echoplex/identity/config';
import { createPaymentsService } from '@echoplex/payments';
import { paymentsConfig, paymentsOptionsFromConfig } from '@echoplex/payments/config';
import { createRealtimeService } from '@echoplex/realtime-gateway';
import { realtimeConfig, realtimeOptionsFrom } from '@echoplex/realtime-gateway/config';
import { createTicketingService } from '@echoplex/ticketing';
import { ticketingConfig, ticketingOptionsFromConfig } from '@echoplex/ticketing/config';

export interface ServiceEntry {
  definition: ServiceDefinition;
  /** Distributed mode: the variable naming the service's URL, and the port the launcher gives it. */
  upstreamEnv: string;
  defaultPort: number;
  /**
   * Distributed mode: paths served by instances of their own, started with extra settings, so that a
   * hot public path scales apart from the rest. Without its URL variable the gateway sends these
   * paths to the service's main URL.
   */
  splitOff?: {
    role: string;
    routes: string[];
    upstreamEnv: string;
    defaultPort: number;
    settings: Record<string, string>;
  };
}

/**
 * The one route table: every service the gateway fronts and the paths it owns. Embedded mode mounts
 * the plugins; distributed mode proxies the same paths to each service's own process.
 */
export function serviceTable(env: NodeJS.ProcessEnv): ServiceEntry[] {
  return [
    {
      definition: createIdentityService(parseConfig(identityConfig, env)),
      upstreamEnv: 'IDENTITY_URL',
      defaultPort: 3001,
    },
    {
      definition: createEventsService(eventsOptionsFromConfig(parseConfig(eventsConfig, env))),
      upstreamEnv: 'EVENTS_URL',
      defaultPort: 3002,
    },
    {
      definition: createTicketingService(ticketingOptionsFromConfig(parseConfig(ticketingConfig, env))),
      upstreamEnv: 'TICKETING_URL',
      defaultPort: 3003,
    },
    {
      definition: createPaymentsService(paymentsOptionsFromConfig(parseConfig(paymentsConfig, env))),
      upstreamEnv: 'PAYMENTS_URL',
      defaultPort: 3004,
    },
    {
      definition: analyticsService,
      upstreamEnv: 'ANALYTICS_URL',
      defaultPort: 3005,
      // Page views are the one public write of sale day; an instance that also consumes every topic
      // records about three fifths as many (bench/analytics/RESULTS.md).
      splitOff: {
        role: 'ingest',
        routes: [pageViewIngestPath],
        upstreamEnv: 'ANALYTICS_INGEST_URL',
        defaultPort: 3007,
        settings: ingestOnlySettings,
      },
    },
    {
      definition: createRealtimeService(realtimeOptionsFrom(parseConfig(realtimeConfig, env))),
      upstreamEnv: 'REALTIME_URL',
      defaultPort: 3006,
    },
  ];
}
