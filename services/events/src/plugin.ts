import { resolve } from 'node:path';
import { type Subscription, startConsumer } from '@echoplex/bus';
import { type Kysely, type Listener, listen, sql } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import multipart from '@fastify/multipart';
import type { EventsContext } from './commands/events-context';
import { availabilityChanged } from './consumers/ticketing.availability-changed.consumer';
import { registrationSeats } from './consumers/ticketing.registration-seats.consumer';
import { ticketTypeDeleted } from './consumers/ticketing.ticket-type-deleted.consumer';
import { migrations } from './db/migrations';
import type { EventsDb } from './db/schema';
import { defaultMaxImagePixels, maxImageBytes } from './images/image-rendition';
import { LocalDirectoryImageStore } from './images/image-store';
import { EventRepository } from './repositories/event.repository';
import { EventReadCache, eventChangedChannel } from './repositories/event-read-cache';
import { EventSearch } from './repositories/event-search.repository';
import { RegistrationSeatsRepository } from './repositories/registration-seats.repository';
import { TicketAvailabilityRepository } from './repositories/ticket-availability.repository';
import { changeEventStatusRoutes } from './routes/change-event-status.route';
import { createEventRoute } from './routes/create-event.route';
import { deleteEventRoute } from './routes/delete-event.route';
import { presentEvent, type RouteSettings } from './routes/event.response';
import { getEventRoute } from './routes/get-event.route';
import { getEventImageRoutes } from './routes/get-event-image.route';
import { listCategoriesRoute } from './routes/list-categories.route';
import { listEventsRoute } from './routes/list-events.route';
import { updateEventRoutes } from './routes/update-event.route';
import { uploadEventImageRoute } from './routes/upload-event-image.route';

export interface EventsServiceOptions {
  /** Directory for event images (the local image store). */
  uploadsDir: string;
  /** Largest image upload in pixels (width × height); default 24 MP. */
  maxImagePixels?: number;
}

/** `.data/uploads` at the repository root: where embedded mode keeps its files. */
export const defaultUploadsDir = resolve(import.meta.dirname, '../../../.data/uploads');

/**
 * The events service: the event lifecycle, search and images. It owns `/api/events`, `/api/events/:id`
 * and its `publish`, `unpublish`, `cancel` and `image` sub-paths (ticketing owns the other sub-paths).
 */
export function createEventsService(options: EventsServiceOptions): ServiceDefinition {
  return {
    name: 'events',
    schema: 'events',
    migrations,
    routes: ['/api/events'],
    plugin: (app, ctx) => eventsPlugin(app, ctx, options),
  };
}

export const eventsService: ServiceDefinition = createEventsService({ uploadsDir: defaultUploadsDir });

async function eventsPlugin(app: HttpApp, service: ServiceContext, options: EventsServiceOptions): Promise<void> {
  const db = service.db as Kysely<EventsDb>;
  const events = new EventRepository(db);
  const settings: RouteSettings = {
    publicUrl: service.config.PUBLIC_URL?.replace(/\/$/, '') ?? '',
    rateLimits: service.config.RATE_LIMITS === 'on',
  };
  const cache = new EventReadCache(events, { present: (event) => presentEvent(event, settings), now: Date.now });
  const ctx: EventsContext = {
    db,
    events,
    registrationSeats: new RegistrationSeatsRepository(),
    images: new LocalDirectoryImageStore(options.uploadsDir),
    maxImagePixels: options.maxImagePixels ?? defaultMaxImagePixels,
    outbox: service.outbox,
    clock: service.clock,
    log: service.log,
    eventChanged: (id) => cache.evict(id),
  };
  const search = new EventSearch(db, await trigramSchema(db));

  await app.register(multipart, { limits: { fileSize: maxImageBytes, files: 1, fields: 10, parts: 20 } });

  listCategoriesRoute(app);
  listEventsRoute(app, ctx, search, settings);
  createEventRoute(app, ctx, settings);
  getEventRoute(app, cache);
  updateEventRoutes(app, ctx, settings);
  changeEventStatusRoutes(app, ctx, settings);
  deleteEventRoute(app, ctx);
  uploadEventImageRoute(app, ctx, settings);
  getEventImageRoutes(app, ctx, settings);

  const availability = new TicketAvailabilityRepository();
  let consumers: Subscription[] = [];
  let changes: Listener | undefined;
  // Consumers and the cache's change listener start once the app is ready and stop before the pool closes.
  app.addHook('onReady', async () => {
    changes = await listen(
      service.databaseUrl,
      eventChangedChannel,
      (id) => (id ? cache.evict(id) : cache.clear()),
      () => cache.clear(),
    );
    consumers = [
      await startConsumer({
        transport: service.transport,
        kysely: db,
        group: 'events.availability',
        fromBeginning: true,
        log: service.log,
        handlers: {
          'ticketing.availability.v1': { 'availability.changed': availabilityChanged(availability) },
          'ticketing.ticket-type.v1': { 'ticket_type.deleted': ticketTypeDeleted(availability) },
        },
      }),
      await startConsumer({
        transport: service.transport,
        kysely: db,
        group: 'events.registrations',
        fromBeginning: true,
        log: service.log,
        handlers: { 'ticketing.registration.v1': registrationSeats(ctx.registrationSeats) },
      }),
    ];
  });
  app.addHook('onClose', async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await changes?.close();
  });
}

/** Where pg_trgm is installed, if the migration could install it (see the trigram migration). */
async function trigramSchema(db: Kysely<EventsDb>): Promise<string | null> {
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.schema ?? null;
}
