import { Link } from 'react-router-dom';
import type { EchoEvent } from '../../api/types';
import { StatusBadge } from '../../components/status-badge';
import { formatSpan } from '../../format/dates';

export function EventCard({ event, to }: { event: EchoEvent; to?: string }) {
  return (
    <article className="event-card">
      {event.imageUrl ? (
        <img src={event.imageUrl} alt="" loading="lazy" className="event-card-image" />
      ) : (
        <div className="event-card-image placeholder" aria-hidden="true">
          {event.name.slice(0, 1)}
        </div>
      )}
      <div className="event-card-body">
        <h2>
          <Link to={to ?? `/events/${event.id}`}>{event.name}</Link>
        </h2>
        <p className="meta">{formatSpan(event.startTime, event.endTime)}</p>
        <p className="meta">{event.online ? 'Online' : [event.location, event.city].filter(Boolean).join(', ')}</p>
        <p className="tags">
          {event.status !== 'published' && <StatusBadge status={event.status} />}
          {event.soldOut && event.status === 'published' && <StatusBadge status="sold_out" />}
          {event.categories.map((category) => (
            <span key={category} className="tag">
              {category}
            </span>
          ))}
        </p>
      </div>
    </article>
  );
}
