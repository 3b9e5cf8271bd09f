import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { EventTransition } from '../../api/events-api';
import { describeProblem } from '../../api/problem';
import type { EchoEvent } from '../../api/types';
import { useApi } from '../../app/app-services';
import { ConfirmDialog } from '../../components/confirm-dialog';

type Action = EventTransition | 'delete';

const questions: Record<Action, { title: string; body: string; confirm: string; tone: 'primary' | 'danger' }> = {
  publish: {
    title: 'Publish this event?',
    body: 'It becomes visible to everyone and its ticket types go on sale according to their sales windows.',
    confirm: 'Publish',
    tone: 'primary',
  },
  unpublish: {
    title: 'Unpublish this event?',
    body: 'It goes back to draft and disappears from search. This only works while nobody holds tickets.',
    confirm: 'Unpublish',
    tone: 'primary',
  },
  cancel: {
    title: 'Cancel this event?',
    body: 'Every registration is released and every payment refunded. Attendees see that the event was cancelled. This cannot be undone.',
    confirm: 'Cancel the event',
    tone: 'danger',
  },
  delete: {
    title: 'Delete this draft?',
    body: 'The draft and its ticket types are removed for good.',
    confirm: 'Delete draft',
    tone: 'danger',
  },
};

/** Publish, unpublish, cancel and delete, each behind a confirmation. */
export function EventLifecycle({
  event,
  ticketTypeCount,
  onChange,
}: {
  event: EchoEvent;
  ticketTypeCount: number;
  onChange(event: EchoEvent): void;
}) {
  const api = useApi();
  const navigate = useNavigate();
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    if (!asking) return;
    setBusy(true);
    setError(null);
    try {
      if (asking === 'delete') {
        await api.events.remove(event.id);
        navigate('/organizer');
        return;
      }
      onChange(await api.events.transition(event.id, asking));
      setAsking(null);
    } catch (failure) {
      setError(describeProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  const available: Action[] =
    event.status === 'draft' ? ['publish', 'delete'] : event.status === 'published' ? ['unpublish', 'cancel'] : [];
  if (available.length === 0) return <p className="form-alert error">This event was cancelled.</p>;
  return (
    <section className="card lifecycle" aria-label="Publishing">
      {event.status === 'draft' && ticketTypeCount === 0 && (
        <p className="hint">Add a ticket type before publishing, or nobody can register.</p>
      )}
      <div className="actions">
        {available.map((action) => (
          <button
            key={action}
            type="button"
            className={`button ${action === 'publish' ? 'primary' : questions[action].tone === 'danger' ? 'danger-outline' : 'secondary'}`}
            onClick={() => {
              setError(null);
              setAsking(action);
            }}
          >
            {questions[action].confirm}
          </button>
        ))}
      </div>
      {asking && (
        <ConfirmDialog
          title={questions[asking].title}
          confirmLabel={questions[asking].confirm}
          cancelLabel="Not now"
          tone={questions[asking].tone}
          busy={busy}
          error={error}
          onConfirm={run}
          onCancel={() => setAsking(null)}
        >
          <p>{questions[asking].body}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
