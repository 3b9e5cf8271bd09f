import { exitIfUnsafeForProduction, exitOnSignals, parseConfig } from '@echoplex/http';
import { createLogger, startTracing } from '@echoplex/telemetry';
import { distributedConfig, startDistributedGateway } from './distributed';

const config = parseConfig(distributedConfig, process.env);
exitIfUnsafeForProduction(process.env, {}, createLogger({ service: 'api-gateway', level: config.LOG_LEVEL }));
const tracing = startTracing('api-gateway');
const gateway = await startDistributedGateway(process.env);
await gateway.app.listen({ host: config.HOST, port: config.PORT });
exitOnSignals({ app: gateway.app, shutdown: gateway.close }, gateway.app.log as never, () => tracing.shutdown());
