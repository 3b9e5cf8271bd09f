export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface IncomingMessage extends OutgoingMessage {
  partition: number;
  offset: string;
}

interface SubscriptionTarget {
  /** Consumers sharing a group split the messages; different groups each get every message. */
  group: string;
  topics: string[];
  fromBeginning?: boolean;
  /**
   * Called once, when every message that was on the topics when the subscription started (from
   * where this group starts reading) has been handled: a consumer rebuilding a read model from
   * history is then current.
   */
  onCaughtUp?(): void;
}

export type SubscribeOptions = SubscriptionTarget &
  (
    | {
        /** Resolving means the message is done (committed); throwing means it is redelivered. */
        handle(message: IncomingMessage): Promise<void>;
      }
    | {
        /**
         * Up to `maxBatch` fetched messages at once, in order per key. Resolving means all of them are
         * done (committed); throwing means the whole batch is redelivered.
         */
        handleBatch(messages: IncomingMessage[]): Promise<void>;
        maxBatch: number;
      }
  );

/** Messages of one partition a consumer group has not committed yet. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** What the outbox relay publishes to and consumers read from: Kafka, or the in-process bus. */
export interface Transport {
  readonly kind: 'kafka' | 'in-process';
  /** Resolves once the broker has durably accepted every message, in order per key. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Per group and partition, for the transports that keep offsets (Kafka). */
  consumerLag?(): Promise<PartitionLag[]>;
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
