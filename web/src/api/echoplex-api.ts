import { analyticsApi } from './analytics-api';
import type { ApiClient } from './client';
import { eventsApi } from './events-api';
import { identityApi } from './identity-api';
import { paymentsApi } from './payments-api';
import { ticketingApi } from './ticketing-api';

/** Every endpoint of the public contract, grouped by the service that answers it. */
export function createEchoplexApi(client: ApiClient) {
  return {
    client,
    identity: identityApi(client),
    events: eventsApi(client),
    ticketing: ticketingApi(client),
    payments: paymentsApi(client),
    analytics: analyticsApi(client),
  };
}

export type EchoplexApi = ReturnType<typeof createEchoplexApi>;
