import { parseConfig, runStandaloneService } from '@echoplex/http';
import { startStripeFake } from '@echoplex/stripe-fake';
import { paymentsConfig, paymentsOptionsFromConfig } from './config';
import { createPaymentsService } from './plugin';

const config = parseConfig(paymentsConfig, process.env);
const options = paymentsOptionsFromConfig(config);

// In production the host refuses to start without Stripe's keys, before any fake could start.
if (options.mode === 'stripe' || config.NODE_ENV === 'production') {
  await runStandaloneService(createPaymentsService(options), process.env);
} else {
  // No Stripe keys: the in-repo fake, on a free port, sending its webhooks to this service.
  const fake = await startStripeFake({ webhookUrl: `http://127.0.0.1:${config.PORT}/api/payments/webhook` });
  const service = createPaymentsService({ ...options, stripe: fake.connection });
  await runStandaloneService(
    {
      ...service,
      plugin: async (app, ctx) => {
        await service.plugin(app, ctx);
        app.addHook('onClose', () => fake.close());
      },
    },
    process.env,
  );
}
