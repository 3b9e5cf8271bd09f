import { useEffect, useRef, useState } from 'react';
import { useRealtimeClient } from '../app/app-services';
import type { ChannelMessage, ConnectionState } from '../realtime/realtime-client';

/** Receives a channel's messages while the component is mounted (and `channel` is not null). */
export function useChannel(channel: string | null, onMessage: (message: ChannelMessage) => void): void {
  const realtime = useRealtimeClient();
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!channel) return;
    return realtime.subscribe(channel, (message) => handler.current(message));
  }, [realtime, channel]);
}

export function useConnectionState(): ConnectionState {
  const realtime = useRealtimeClient();
  const [state, setState] = useState(realtime.connectionState);
  useEffect(() => {
    setState(realtime.connectionState);
    return realtime.onStateChange(setState);
  }, [realtime]);
  return state;
}
