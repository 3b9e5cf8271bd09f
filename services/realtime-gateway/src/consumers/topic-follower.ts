import type { IncomingMessage, Subscription, Transport } from '@echoplex/bus';
import { type CloudEvent, fromKafkaMessage, parseEventData, type TopicName, topics } from '@echoplex/contracts';
import type { Logger } from '@echoplex/telemetry';
import type { RealtimeMetrics } from '../metrics';
import type { ReplayLog } from './replay-log';

export type DomainEventHandler = (event: CloudEvent<any>, live: boolean) => void;

export interface TopicFollowerOptions {
  transport: Transport;
  /** Unique per instance: every instance must receive every event, not a share of them. */
  group: string;
  handlers: Partial<Record<TopicName, DomainEventHandler>>;
  /** Topics that only feed live messages: their history is skipped without being parsed. */
  liveOnly: TopicName[];
  startedAt: number;
  liveWindowMs: number;
  metrics: RealtimeMetrics;
  log: Logger;
  /** Only for a bus without history (in-process): what was consumed, kept for the next start. */
  replayLog?: ReplayLog;
  /** Every message that was on the topics at start has been applied (after the replay log, if any). */
  onCaughtUp(): void;
}

/**
 * Reads every topic the gateway needs from the beginning. The in-memory model is rebuilt from the
 * history; `live` tells handlers whether an event happened around or after this start, so that
 * replayed history updates state without being pushed to clients as news.
 *
 * There is no inbox and no dead-letter topic here: the model is versioned or status-based, so a
 * repeated message changes nothing, and a message this gateway cannot read is skipped (with a
 * metric) rather than parked — every instance has its own group, so parking would copy it once
 * per instance, and the producing service's own consumers already dead-letter it.
 */
export async function followTopics(options: TopicFollowerOptions): Promise<Subscription> {
  const liveSince = options.startedAt - options.liveWindowMs;
  const liveOnly = new Set<string>(options.liveOnly);

  const dispatch = (message: IncomingMessage): void => {
    const topic = message.topic as TopicName;
    const handler = options.handlers[topic];
    // An empty value is a compaction tombstone: nothing to apply.
    if (!handler || message.value === '') return;
    const committedAt = Date.parse(message.headers.ce_time ?? '');
    const live = !(committedAt < liveSince);
    if (!live && liveOnly.has(topic)) return;
    let event: CloudEvent;
    try {
      event = fromKafkaMessage(message.headers, message.value);
      if (!(event.type in topics[topic].types)) return;
      event.data = parseEventData(topic, event.type as never, event.data);
    } catch (error) {
      options.metrics.eventsMalformed.inc({ topic });
      options.log.warn({ err: error, topic, key: message.key, offset: message.offset }, 'skipped unreadable message');
      return;
    }
    options.metrics.eventsConsumed.inc({ topic });
    try {
      handler(event, live);
    } catch (error) {
      options.log.error({ err: error, topic, eventId: event.id }, 'realtime handler failed');
    }
  };

  const { replayLog } = options;
  if (replayLog) {
    for await (const message of replayLog.history()) dispatch(message);
  }
  return options.transport.subscribe({
    group: options.group,
    topics: Object.keys(options.handlers),
    fromBeginning: true,
    onCaughtUp: options.onCaughtUp,
    handle: async (message) => {
      dispatch(message);
      if (replayLog && !liveOnly.has(message.topic)) await replayLog.record(message);
    },
  });
}
