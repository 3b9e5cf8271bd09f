import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { describeProblem } from '../../api/problem';
import { useApi } from '../../app/app-services';
import { Loading } from '../../components/loading';
import { useAsync } from '../../hooks/use-async';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { lookUpEvents } from './event-lookup';
import { RegistrationCard } from './registration-card';

/** One registration; right after buying (`?new=1`) it doubles as the confirmation page. */
export default function TicketPage() {
  const { registrationId = '' } = useParams();
  const [params] = useSearchParams();
  const justBought = params.get('new') === '1';
  const api = useApi();
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = useAsync(async () => {
    const registration = await api.ticketing.registration(registrationId);
    return { registration, ...(await lookUpEvents(api, [registration])) };
  }, [api, registrationId]);
  useDocumentTitle(justBought ? 'You are going' : 'Your ticket');

  useEffect(() => {
    if (loaded.data) heading.current?.focus();
  }, [loaded.data]);

  if (loaded.loading && !loaded.data) return <Loading label="Loading your ticket" />;
  if (loaded.error || !loaded.data) {
    return (
      <section className="page narrow">
        <h1>Ticket not found</h1>
        <p>{describeProblem(loaded.error)}</p>
        <Link to="/tickets">My tickets</Link>
      </section>
    );
  }
  const { registration, events, ticketTypeNames } = loaded.data;
  const confirmed = registration.status === 'confirmed';
  return (
    <section className="page narrow">
      <h1 ref={heading} tabIndex={-1}>
        {justBought && confirmed ? 'You are going!' : 'Your registration'}
      </h1>
      {justBought && confirmed && (
        <p className="form-alert success" role="status">
          Registration confirmed. Your confirmation code is <strong>{registration.code}</strong>. Show the QR code at
          the entrance.
        </p>
      )}
      <RegistrationCard
        registration={registration}
        event={events[registration.eventId]}
        ticketTypeName={ticketTypeNames[registration.ticketTypeId]}
        onChange={(updated) => loaded.setData((current) => ({ ...current!, registration: updated }))}
      />
      <p>
        <Link to="/tickets">All my tickets</Link>
      </p>
    </section>
  );
}
