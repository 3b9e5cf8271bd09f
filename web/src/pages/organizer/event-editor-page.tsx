import { useLocation, useNavigate, useParams } from 'react-router-dom';
import type { EchoplexApi } from '../../api/echoplex-api';
import { describeProblem, isProblemCode } from '../../api/problem';
import type { TicketType } from '../../api/types';
import { useApi } from '../../app/app-services';
import { FormAlert } from '../../components/form-alert';
import { Loading } from '../../components/loading';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { EventForm } from './event-form';
import { EventImageUpload } from './event-image-upload';
import { EventLifecycle } from './event-lifecycle';
import { OrganizerEventNav } from './organizer-event-nav';
import { TicketTypesEditor } from './ticket-types-editor';

/**
 * Ticketing learns about a new event from the events topic a moment after it was created: a 404
 * right after creation means "not yet", so ask again briefly before calling it an error.
 */
async function ticketTypesOf(api: EchoplexApi, eventId: string): Promise<TicketType[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.ticketing.ticketTypes(eventId);
    } catch (error) {
      if (!isProblemCode(error, 'not_found') || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/** Create a draft (no id yet), or edit one: details, image, ticket types and publishing. */
export default function EventEditorPage() {
  const { eventId } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const categories = useAsync(() => api.events.categories().catch(() => [] as string[]), [api]);
  const loaded = useAsync(
    async () =>
      eventId ? { event: await api.events.get(eventId), ticketTypes: await ticketTypesOf(api, eventId) } : null,
    [api, eventId],
  );
  useDocumentTitle(eventId ? (loaded.data?.event.name ?? 'Edit event') : 'Create event');

  if (!eventId) {
    return (
      <section className="page narrow">
        <h1>Create an event</h1>
        <p>Start with the details; you add tickets and an image next, and publish when ready.</p>
        {categories.loading ? (
          <Loading label="Loading" />
        ) : (
          <EventForm
            categories={categories.data ?? []}
            submitLabel="Save draft"
            onSave={async (input) => {
              const created = await api.events.create(input);
              navigate(`/organizer/events/${created.id}/edit`, { state: { created: true } });
            }}
          />
        )}
      </section>
    );
  }

  if (loaded.loading && !loaded.data) return <Loading label="Loading event" />;
  if (loaded.error || !loaded.data) {
    return (
      <section className="page narrow">
        <h1>Could not load the event</h1>
        <FormAlert message={describeProblem(loaded.error)} />
      </section>
    );
  }
  const { event, ticketTypes } = loaded.data;
  return (
    <section className="page narrow">
      <OrganizerEventNav event={event} />
      <h1>{event.name}</h1>
      {justCreated && event.status === 'draft' && (
        <FormAlert tone="success" message="Draft saved. Add ticket types and an image, then publish." />
      )}
      <EventLifecycle
        event={event}
        ticketTypeCount={ticketTypes.length}
        onChange={(updated) => loaded.setData((current) => ({ ...current!, event: updated }))}
      />
      <h2>Details</h2>
      <EventForm
        key={event.id}
        event={event}
        categories={categories.data ?? event.categories}
        submitLabel="Save changes"
        onSave={async (input) => {
          const updated = await api.events.update(event.id, input);
          loaded.setData((current) => ({ ...current!, event: updated }));
        }}
      />
      <EventImageUpload
        eventId={event.id}
        imageUrl={event.imageUrl}
        onUploaded={(imageUrl) =>
          loaded.setData((current) => ({ ...current!, event: { ...current!.event, imageUrl } }))
        }
      />
      <TicketTypesEditor
        eventId={event.id}
        ticketTypes={ticketTypes}
        onChange={(next) => loaded.setData((current) => ({ ...current!, ticketTypes: next }))}
      />
    </section>
  );
}
