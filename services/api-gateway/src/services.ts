import { parseConfig, type ServiceDefinition } from '@echoplex/http';
import { identityService } from '@echoplex/identity';
import { createPaymentsService } from '@echoplex/payments';
import { paymentsConfig, paymentsOptionsFromConfig } from '@echoplex/payments/config';

export interface ServiceEntry {
  definition: ServiceDefinition;
  /** Distributed mode: the variable naming the service's URL, and the port the launcher gives it. */
  upstreamEnv: string;
  defaultPort: number;
}

/**
 * The one route table: every service the gateway fronts and the paths it owns. Embedded mode mounts
 * the plugins; distributed mode proxies the same paths to each service's own process.
 */
export function serviceTable(env: NodeJS.ProcessEnv): ServiceEntry[] {
  return [
    { definition: identityService, upstreamEnv: 'IDENTITY_URL', defaultPort: 3001 },
    {
      definition: createPaymentsService(paymentsOptionsFromConfig(parseConfig(paymentsConfig, env))),
      upstreamEnv: 'PAYMENTS_URL',
      defaultPort: 3004,
    },
  ];
}
