import { parseConfig, runStandaloneService } from '@echoplex/http';
import { analyticsConfig, analyticsOptionsFromConfig } from './config';
import { createAnalyticsService } from './plugin';

await runStandaloneService(
  createAnalyticsService(analyticsOptionsFromConfig(parseConfig(analyticsConfig, process.env))),
  process.env,
);
