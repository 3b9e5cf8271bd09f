import { startEmbedded } from './embedded';
import { seedPlatform } from './seed';

if (process.env.NODE_ENV === 'production') {
  console.error('npm run seed makes demo accounts with a public password: refused in production');
  process.exit(1);
}
const { host, logger, stopPostgres } = await startEmbedded(process.env);
await host.app.ready();
const seeded = await seedPlatform(host.app, logger);
console.log(seeded ? 'sample data created' : 'sample data already present: nothing to do');
await host.shutdown();
await stopPostgres();
