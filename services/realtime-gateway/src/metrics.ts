import { Counter, Gauge, Histogram, type Registry } from '@echoplex/telemetry';

export interface RealtimeMetrics {
  connections: Gauge;
  subscriptions: Gauge;
  messagesSent: Counter<'kind'>;
  messagesDropped: Counter<'reason'>;
  clientsDropped: Counter<'reason'>;
  commitToSend: Histogram<'kind'>;
  eventsConsumed: Counter<'topic'>;
  eventsMalformed: Counter<'topic'>;
}

export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({ name: 'realtime_connections', help: 'Open WebSocket connections', registers }),
    subscriptions: new Gauge({
      name: 'realtime_subscriptions',
      help: 'Channel subscriptions over all open connections',
      registers,
    }),
    messagesSent: new Counter({
      name: 'realtime_messages_sent_total',
      help: 'Frames handed to client sockets, by channel kind',
      labelNames: ['kind'],
      registers,
    }),
    messagesDropped: new Counter({
      name: 'realtime_messages_dropped_total',
      help: 'Frames not delivered: the client was over its buffer limit or already closing',
      labelNames: ['reason'],
      registers,
    }),
    clientsDropped: new Counter({
      name: 'realtime_clients_dropped_total',
      help: 'Connections the gateway closed: backpressure (too slow) or heartbeat (dead)',
      labelNames: ['reason'],
      registers,
    }),
    commitToSend: new Histogram({
      name: 'realtime_commit_to_send_seconds',
      help: 'From the CloudEvent time (the producer commit) to the frame being handed to every subscriber',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    eventsConsumed: new Counter({
      name: 'realtime_events_consumed_total',
      help: 'Domain events consumed from the bus, by topic',
      labelNames: ['topic'],
      registers,
    }),
    eventsMalformed: new Counter({
      name: 'realtime_events_malformed_total',
      help: 'Messages skipped because they are not valid CloudEvents of their topic',
      labelNames: ['topic'],
      registers,
    }),
  };
}
