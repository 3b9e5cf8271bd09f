import { runStandaloneService } from '@echoplex/http';
import { identityService } from './plugin';

await runStandaloneService(identityService, process.env);
