import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describeProblem } from '../../api/problem';
import type { Registration } from '../../api/types';
import { useApi } from '../../app/app-services';
import { useAuth } from '../../auth/auth-context';
import { Loading } from '../../components/loading';
import { useAsync } from '../../hooks/use-async';
import { useChannel } from '../../hooks/use-channel';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { lookUpEvents } from './event-lookup';
import { RegistrationCard } from './registration-card';

async function allMyRegistrations(api: ReturnType<typeof useApi>): Promise<Registration[]> {
  const items: Registration[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.ticketing.myRegistrations(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < 500);
  return items;
}

export default function MyTicketsPage() {
  useDocumentTitle('My tickets');
  const api = useApi();
  const { user } = useAuth();
  const [showInactive, setShowInactive] = useState(false);
  const loaded = useAsync(async () => {
    const registrations = await allMyRegistrations(api);
    return { registrations, ...(await lookUpEvents(api, registrations)) };
  }, [api]);

  // A payment confirmed or a hold expired elsewhere: show it without a reload.
  useChannel(user ? `user:${user.id}` : null, (message) => {
    if (message.type === 'registration.updated') loaded.reload();
  });

  if (loaded.loading && !loaded.data) return <Loading label="Loading your tickets" />;
  if (loaded.error || !loaded.data) {
    return (
      <section className="page">
        <h1>My tickets</h1>
        <p className="form-alert error" role="alert">
          {describeProblem(loaded.error)}
        </p>
      </section>
    );
  }
  const { registrations, events, ticketTypeNames } = loaded.data;
  const active = registrations.filter(
    (registration) => registration.status === 'confirmed' || registration.status === 'pending',
  );
  const inactive = registrations.filter((registration) => !active.includes(registration));
  const replace = (updated: Registration) =>
    loaded.setData((current) => ({
      ...current!,
      registrations: current!.registrations.map((registration) =>
        registration.id === updated.id ? updated : registration,
      ),
    }));

  return (
    <section className="page">
      <h1>My tickets</h1>
      {active.length === 0 ? (
        <p>
          No upcoming tickets. <Link to="/events">Find an event</Link>.
        </p>
      ) : (
        <div className="registration-list">
          {active.map((registration) => (
            <RegistrationCard
              key={registration.id}
              registration={registration}
              event={events[registration.eventId]}
              ticketTypeName={ticketTypeNames[registration.ticketTypeId]}
              onChange={replace}
            />
          ))}
        </div>
      )}
      {inactive.length > 0 && (
        <section aria-labelledby="inactive-heading">
          <h2 id="inactive-heading">Cancelled and expired</h2>
          <button
            type="button"
            className="link-button"
            aria-expanded={showInactive}
            onClick={() => setShowInactive((shown) => !shown)}
          >
            {showInactive ? 'Hide' : `Show ${inactive.length}`}
          </button>
          {showInactive && (
            <div className="registration-list">
              {inactive.map((registration) => (
                <RegistrationCard
                  key={registration.id}
                  registration={registration}
                  event={events[registration.eventId]}
                  ticketTypeName={ticketTypeNames[registration.ticketTypeId]}
                  onChange={replace}
                  headingLevel={3}
                />
              ))}
            </div>
          )}
        </section>
      )}
    </section>
  );
}
