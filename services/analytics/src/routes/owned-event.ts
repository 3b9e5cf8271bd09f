import type { Selectable } from '@echoplex/db';
import { type Principal, requireOwnership, requireUser } from '@echoplex/http';
import type { FastifyRequest } from 'fastify';
import type { EventsTable } from '../db/schema';
import type { ReportRepository } from '../repositories/report.repository';

/**
 * The event's figures are private to its organizer: another organizer, an attendee, a deleted event
 * or an event this service has not heard of yet → 404 alike. Callers refuse anonymous requests (401)
 * with `requireUser` before reading anything, and pass on the principal it returns.
 */
export function requireOwnedEvent(principal: Principal, event: Selectable<EventsTable> | undefined) {
  return requireOwnership(
    event,
    (found) => found.organizerId === principal.userId && found.status !== 'deleted',
    'The event',
  );
}

export async function findOwnedEvent(reports: ReportRepository, request: FastifyRequest, eventId: string) {
  const principal = requireUser(request);
  return requireOwnedEvent(principal, await reports.findEvent(eventId));
}
