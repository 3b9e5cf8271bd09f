import { runStandaloneService } from '@echoplex/http';
import { analyticsService } from './plugin';

await runStandaloneService(analyticsService, process.env);
