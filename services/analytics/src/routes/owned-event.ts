import { requireOwnership, requireUser } from '@echoplex/http';
import type { FastifyRequest } from 'fastify';
import type { ReportRepository } from '../repositories/report.repository';

/**
 * The event's figures are private to its organizer: anonymous → 401; another organizer, an
 * attendee, a deleted event or an event this service has not heard of yet → 404 alike.
 */
export async function findOwnedEvent(reports: ReportRepository, request: FastifyRequest, eventId: string) {
  const principal = requireUser(request);
  const event = await reports.findEvent(eventId);
  return requireOwnership(
    event,
    (found) => found.organizerId === principal.userId && found.status !== 'deleted',
    'The event',
  );
}
