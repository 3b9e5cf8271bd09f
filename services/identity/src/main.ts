import { parseConfig, runStandaloneService } from '@echoplex/http';
import { identityConfig } from './config';
import { createIdentityService } from './plugin';

await runStandaloneService(createIdentityService(parseConfig(identityConfig, process.env)), process.env);
