import { parseConfig, runStandaloneService } from '@echoplex/http';
import { eventsConfig, eventsOptionsFromConfig } from './config';
import { createEventsService } from './plugin';

await runStandaloneService(
  createEventsService(eventsOptionsFromConfig(parseConfig(eventsConfig, process.env))),
  process.env,
);
