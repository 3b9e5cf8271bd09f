import { parseConfig, runStandaloneService } from '@echoplex/http';
import { realtimeConfig, realtimeOptionsFrom } from './config';
import { createRealtimeService } from './plugin';

await runStandaloneService(
  createRealtimeService(realtimeOptionsFrom(parseConfig(realtimeConfig, process.env))),
  process.env,
);
