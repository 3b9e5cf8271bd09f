import { exitOnSignals } from '@echoplex/http';
import { startTracing } from '@echoplex/telemetry';
import { startEmbedded } from './embedded';
import { demoAccounts, seedPlatform } from './seed';

const tracing = startTracing('echoplex');
const { host, config, logger, stopPostgres } = await startEmbedded(process.env);
await host.app.listen({ host: config.HOST, port: config.PORT });
exitOnSignals(host, logger, async () => {
  await stopPostgres();
  await tracing.shutdown();
});
const seeded = config.SEED === 'on' && (await seedPlatform(host.app, logger));
const shownHost = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
console.log(`\n  EchoPlex is running at http://${shownHost}:${config.PORT}  (API docs: /docs)`);
if (seeded) {
  console.log(`  Sample data created. Sign in as organizer ${demoAccounts.organizers[0]?.email}`);
  console.log(`  or attendee ${demoAccounts.attendee.email}, password ${demoAccounts.password}`);
}
console.log('');
