import { exitOnSignals } from '@echoplex/http';
import { startEmbedded } from './embedded';

const { host, config, logger, stopPostgres } = await startEmbedded(process.env);
await host.app.listen({ host: config.HOST, port: config.PORT });
exitOnSignals(host, logger, stopPostgres);
const shownHost = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
console.log(`\n  EchoPlex is running at http://${shownHost}:${config.PORT}  (API docs: /docs)\n`);
