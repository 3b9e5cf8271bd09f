import { startEmbedded } from './embedded';
import { seedPlatform } from './seed';

const { host, logger, stopPostgres } = await startEmbedded(process.env);
await host.app.ready();
const seeded = await seedPlatform(host.app, logger);
console.log(seeded ? 'sample data created' : 'sample data already present: nothing to do');
await host.shutdown();
await stopPostgres();
