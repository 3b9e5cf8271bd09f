import type { ApiClient } from './client';
import type {
  AttendeeDetails,
  Availability,
  CheckInResult,
  Page,
  Registration,
  RegistrationStatus,
  TicketType,
  TicketTypeInput,
} from './types';

export interface NewRegistration {
  eventId: string;
  ticketTypeId: string;
  quantity: number;
  attendees?: AttendeeDetails[];
}

export function ticketingApi(client: ApiClient) {
  return {
    ticketTypes: async (eventId: string) =>
      (await client.get<Page<TicketType>>(`/api/events/${eventId}/tickets`)).items,
    createTicketType: (eventId: string, input: TicketTypeInput) =>
      client.post<TicketType>(`/api/events/${eventId}/tickets`, input),
    updateTicketType: (eventId: string, ticketTypeId: string, input: Partial<TicketTypeInput>) =>
      client.patch<TicketType>(`/api/events/${eventId}/tickets/${ticketTypeId}`, input),
    deleteTicketType: (eventId: string, ticketTypeId: string) =>
      client.delete(`/api/events/${eventId}/tickets/${ticketTypeId}`),
    availability: (eventId: string) => client.get<Availability>(`/api/events/${eventId}/availability`),
    register: (input: NewRegistration, idempotencyKey: string) =>
      client.post<Registration>('/api/registrations', input, { idempotencyKey }),
    myRegistrations: (cursor?: string) =>
      client.get<Page<Registration>>('/api/registrations', { query: { cursor, limit: 50 } }),
    registration: (id: string) => client.get<Registration>(`/api/registrations/${id}`),
    cancel: (id: string) => client.post<Registration>(`/api/registrations/${id}/cancel`),
    eventRegistrations: (eventId: string, search: { q?: string; status?: RegistrationStatus; cursor?: string }) =>
      client.get<Page<Registration>>(`/api/events/${eventId}/registrations`, { query: { ...search, limit: 50 } }),
    attendeesCsv: (eventId: string, q?: string) =>
      client.get<string>(`/api/events/${eventId}/registrations`, {
        query: { format: 'csv', q },
        headers: { accept: 'text/csv' },
        as: 'text',
      }),
    checkIn: (eventId: string, code: string) =>
      client.post<CheckInResult>(`/api/events/${eventId}/check-ins`, { code }),
  };
}
