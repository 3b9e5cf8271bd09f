import { parseConfig, runStandaloneService } from '@echoplex/http';
import { ticketingConfig, ticketingOptionsFromConfig } from './config';
import { createTicketingService } from './plugin';

await runStandaloneService(
  createTicketingService(ticketingOptionsFromConfig(parseConfig(ticketingConfig, process.env))),
  process.env,
);
