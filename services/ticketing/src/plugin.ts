import { type Kysely, listen } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import { defaultMailFrom, openMailer } from '@echoplex/mailer';
import { startConfirmationMailConsumer, startTicketingConsumers } from './consumers';
import { migrations } from './db/migrations';
import type { TicketingDb } from './db/schema';
import { defaultHoldPolicy, type HoldPolicy } from './domain/account-limits';
import { startHoldSweeper } from './jobs/hold-sweeper';
import { loadAvailabilitySource } from './queries/availability';
import { AvailabilityCache } from './queries/availability-cache';
import { availabilityChannel } from './repositories/seat-ledger.repository';
import { cancelRegistrationRoute } from './routes/cancel-registration.route';
import { checkInRoute } from './routes/check-in.route';
import { createTicketTypeRoute } from './routes/create-ticket-type.route';
import { deleteTicketTypeRoute } from './routes/delete-ticket-type.route';
import { getAvailabilityRoute } from './routes/get-availability.route';
import { getRegistrationRoute } from './routes/get-registration.route';
import { listEventRegistrationsRoute } from './routes/list-event-registrations.route';
import { listMyRegistrationsRoute } from './routes/list-my-registrations.route';
import { listTicketTypesRoute } from './routes/list-ticket-types.route';
import { registerRoute } from './routes/register.route';
import { updateTicketTypeRoute } from './routes/update-ticket-type.route';
import { createTicketingContext } from './ticketing-context';

export interface TicketingOptions {
  /** How long a paid registration holds its seats waiting for payment. */
  holdMinutes?: number;
  /** Limits on one account's unpaid holds per event; unset fields take `defaultHoldPolicy`. */
  holdPolicy?: Partial<HoldPolicy>;
  /** Pause between sweeps for expired holds; a hold outlives `expiresAt` by at most about this. */
  sweepIntervalMs?: number;
  /** Bound on how stale a cached availability may be should an invalidation be lost. */
  availabilityMaxAgeMs?: number;
  /** The Kafka consumer group: one per deployment, shared by its instances. */
  consumerGroup?: string;
  /** Business time (sales windows, holds, event start); tests move it. */
  clock?: () => Date;
  /** Confirmation mail goes through this SMTP server; without it, to the dev mailbox. */
  smtpUrl?: string;
  mailFrom?: string;
}

export const defaultHoldMinutes = 10;

/**
 * The paths the service answers, for the gateway's proxy in distributed mode. Besides its own
 * `/api/registrations` (and everything under it), it owns four sub-resources of events, while the
 * events service owns the rest of `/api/events`: those are route patterns (`:id` is one segment, `*`
 * the rest), which the gateway registers as they are; its router prefers them to the events
 * service's `/api/events/*` because they are more specific. `ticketingPathPattern` says the same as
 * one regular expression, for proxies that match by regex.
 */
export const ticketingRoutes = [
  '/api/registrations',
  '/api/events/:id/tickets',
  '/api/events/:id/tickets/*',
  '/api/events/:id/availability',
  '/api/events/:id/registrations',
  '/api/events/:id/check-ins',
];

export const ticketingPathPattern =
  /^\/api\/(registrations|events\/[^/?#]+\/(tickets|availability|registrations|check-ins))(?=[/?#]|$)/;

export function ownsPath(path: string): boolean {
  return ticketingPathPattern.test(path);
}

async function ticketingPlugin(app: HttpApp, service: ServiceContext, options: TicketingOptions): Promise<void> {
  const db = service.db as Kysely<TicketingDb>;
  const availability = new AvailabilityCache({
    load: (eventId) => loadAvailabilitySource(db, eventId),
    maxAgeMs: options.availabilityMaxAgeMs ?? 1_000,
  });
  const mailer = await openMailer({
    smtpUrl: options.smtpUrl,
    from: options.mailFrom ?? defaultMailFrom,
    db,
    production: service.config.NODE_ENV === 'production',
  });
  if (mailer.mode === 'discard') service.log.warn('SMTP_URL is not set: confirmation emails are not sent');
  const ctx = createTicketingContext({
    db,
    outbox: service.outbox,
    clock: options.clock ?? service.clock,
    log: service.log,
    holdMinutes: options.holdMinutes ?? defaultHoldMinutes,
    holdPolicy: { ...defaultHoldPolicy, ...options.holdPolicy },
    availability,
    mailer,
    registry: service.registry,
  });

  // Commits of any instance invalidate every instance's cache; after a reconnect, anything may have
  // been missed, so everything is dropped.
  const listener = await listen(
    service.databaseUrl,
    availabilityChannel,
    (eventId) => {
      if (eventId) availability.invalidate(eventId);
    },
    () => availability.clear(),
  );
  app.addHook('onClose', () => listener.close());

  const rateLimits = service.config.RATE_LIMITS === 'on';
  createTicketTypeRoute(app, ctx);
  listTicketTypesRoute(app, ctx);
  updateTicketTypeRoute(app, ctx);
  deleteTicketTypeRoute(app, ctx);
  getAvailabilityRoute(app, ctx);
  registerRoute(app, ctx, rateLimits);
  listMyRegistrationsRoute(app, ctx);
  getRegistrationRoute(app, ctx);
  cancelRegistrationRoute(app, ctx);
  listEventRegistrationsRoute(app, ctx);
  checkInRoute(app, ctx);

  const consumers = await startTicketingConsumers(ctx, {
    transport: service.transport,
    group: options.consumerGroup ?? 'ticketing',
  });
  app.addHook('onClose', () => consumers.stop());
  const confirmationMail = await startConfirmationMailConsumer(ctx, {
    transport: service.transport,
    group: options.consumerGroup ?? 'ticketing',
  });
  app.addHook('onClose', async () => {
    await confirmationMail.stop();
    await mailer.close();
  });
  const sweeper = startHoldSweeper(ctx, options.sweepIntervalMs ?? 1_000);
  app.addHook('onClose', () => sweeper.stop());
}

/** The service with explicit settings; `ticketingService` is the one with the defaults. */
export function createTicketingService(options: TicketingOptions = {}): ServiceDefinition {
  return {
    name: 'ticketing',
    schema: 'ticketing',
    migrations,
    routes: ticketingRoutes,
    devMailbox: 'write',
    plugin: (app, service) => ticketingPlugin(app, service, options),
  };
}

export const ticketingService: ServiceDefinition = createTicketingService();

export default ticketingService;
