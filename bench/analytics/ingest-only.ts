import { runStandaloneService } from '@echoplex/http';
import { createAnalyticsService } from '../../services/analytics/src/plugin';

// The page-view endpoint without consumers in its process: ingest scales by instances, consumers by
// partitions, so a deployment may run them apart. The same code as main.ts otherwise.
await runStandaloneService(createAnalyticsService({ consumerMembers: 0 }), process.env);
