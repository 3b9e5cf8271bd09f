import { exitIfUnsafeForProduction, exitOnSignals, parseConfig } from '@echoplex/http';
import { createLogger, startTracing } from '@echoplex/telemetry';
import { startBanner } from './banner';
import { embeddedConfig, seedsSampleData, startEmbedded } from './embedded';
import { seedPlatform } from './seed';

const checked = parseConfig(embeddedConfig, process.env);
exitIfUnsafeForProduction(
  process.env,
  { takesPayments: true, embeddedDatabase: !checked.DATABASE_URL },
  createLogger({ service: 'echoplex', level: checked.LOG_LEVEL }),
);
const tracing = startTracing('echoplex');
const { host, config, logger, stopPostgres } = await startEmbedded(process.env);
await host.app.listen({ host: config.HOST, port: config.PORT });
exitOnSignals(host, logger, async () => {
  await stopPostgres();
  await tracing.shutdown();
});
if (seedsSampleData(config)) await seedPlatform(host.app, logger);
const shownHost = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
console.log(
  `\n${startBanner(process.env, `http://${shownHost}:${config.PORT}`)
    .map((line) => `  ${line}`)
    .join('\n')}\n`,
);
