import { NavLink } from 'react-router-dom';
import type { EchoEvent } from '../../api/types';
import { StatusBadge } from '../../components/status-badge';

/** The organizer's views of one event, as tabs under its name. */
export function OrganizerEventNav({ event }: { event: Pick<EchoEvent, 'id' | 'name' | 'status'> }) {
  const base = `/organizer/events/${event.id}`;
  return (
    <div className="event-nav">
      <p className="eyebrow">
        <NavLink to="/organizer" end>
          My events
        </NavLink>{' '}
        / {event.name} <StatusBadge status={event.status} />
      </p>
      <nav aria-label="This event">
        <ul>
          <li>
            <NavLink to={`${base}/edit`}>Details &amp; tickets</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/sales`}>Live sales</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/attendees`}>Attendees</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/check-in`}>Check-in</NavLink>
          </li>
          {event.status !== 'draft' && (
            <li>
              <NavLink to={`/events/${event.id}`}>Public page</NavLink>
            </li>
          )}
        </ul>
      </nav>
    </div>
  );
}
