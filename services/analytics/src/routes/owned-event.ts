import type { Selectable } from '@echoplex/db';
import { requireOwnership, requireUser } from '@echoplex/http';
import type { FastifyRequest } from 'fastify';
import type { EventsTable } from '../db/schema';
import type { ReportRepository } from '../repositories/report.repository';

/**
 * The event's figures are private to its organizer: anonymous → 401; another organizer, an
 * attendee, a deleted event or an event this service has not heard of yet → 404 alike.
 */
export function requireOwnedEvent(request: FastifyRequest, event: Selectable<EventsTable> | undefined) {
  const principal = requireUser(request);
  return requireOwnership(
    event,
    (found) => found.organizerId === principal.userId && found.status !== 'deleted',
    'The event',
  );
}

export async function findOwnedEvent(reports: ReportRepository, request: FastifyRequest, eventId: string) {
  requireUser(request);
  return requireOwnedEvent(request, await reports.findEvent(eventId));
}
