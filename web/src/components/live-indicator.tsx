import { useConnectionState } from '../hooks/use-channel';

const labels = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

/** Whether the figures beside it are updating by themselves. */
export function LiveIndicator() {
  const state = useConnectionState();
  return (
    <span className={`live-indicator live-${state}`} title="Updates arrive without reloading while this says Live">
      <span className="dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
