import type { Outbox } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { Logger } from '@echoplex/telemetry';
import type { EventsDb } from '../db/schema';
import type { ImageStore } from '../images/image-store';
import type { EventRepository } from '../repositories/event.repository';
import type { RegistrationSeatsRepository } from '../repositories/registration-seats.repository';

/** What the event commands work with; built once by the plugin. */
export interface EventsContext {
  db: Kysely<EventsDb>;
  events: EventRepository;
  registrationSeats: RegistrationSeatsRepository;
  images: ImageStore;
  /** Uploads declaring more pixels than this are refused before they are decoded. */
  maxImagePixels: number;
  outbox: Outbox;
  clock: () => Date;
  log: Logger;
  /** Called after a change to an event committed: evicts it from this instance's read cache. */
  eventChanged: (id: string) => void;
}
