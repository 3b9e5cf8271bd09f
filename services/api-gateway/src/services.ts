import type { ServiceDefinition } from '@echoplex/http';
import { identityService } from '@echoplex/identity';

/**
 * The one route table: every service the gateway fronts, the path prefixes it owns, and (for
 * distributed mode) the environment variable naming its upstream. Embedded mode mounts the
 * plugins; distributed mode proxies the same prefixes.
 */
export const services: { definition: ServiceDefinition; upstreamEnv: string; defaultPort: number }[] = [
  { definition: identityService, upstreamEnv: 'IDENTITY_URL', defaultPort: 3001 },
];
