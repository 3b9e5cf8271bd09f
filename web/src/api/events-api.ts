import type { ApiClient } from './client';
import type { EchoEvent, EventInput, Page } from './types';

export interface EventSearch {
  q?: string;
  category?: string;
  city?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export type EventTransition = 'publish' | 'unpublish' | 'cancel';

export function eventsApi(client: ApiClient) {
  return {
    search: (search: EventSearch, signal?: AbortSignal) =>
      client.get<Page<EchoEvent>>('/api/events', { query: { ...search }, signal }),
    mine: (cursor?: string) => client.get<Page<EchoEvent>>('/api/events', { query: { mine: true, cursor, limit: 50 } }),
    get: (id: string) => client.get<EchoEvent>(`/api/events/${id}`),
    categories: async () => (await client.get<{ items: string[] }>('/api/events/categories')).items,
    create: (input: EventInput) => client.post<EchoEvent>('/api/events', input),
    update: (id: string, input: EventInput) => client.put<EchoEvent>(`/api/events/${id}`, input),
    transition: (id: string, transition: EventTransition) => client.post<EchoEvent>(`/api/events/${id}/${transition}`),
    remove: (id: string) => client.delete(`/api/events/${id}`),
    uploadImage(id: string, file: File) {
      const form = new FormData();
      form.append('file', file, file.name);
      return client.post<{ imageUrl: string }>(`/api/events/${id}/image`, form);
    },
  };
}
