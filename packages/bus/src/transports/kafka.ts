import { type Admin, Kafka, type KafkaConfig, type KafkaMessage, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, Transport } from '../transport';
import { readConsumerLag } from './kafka-lag';

export interface KafkaTransportConfig {
  brokers: string[];
  clientId: string;
  /** Topics created on connect (kafkajs cannot rely on auto-creation for compacted topics). */
  topics?: { name: string; partitions?: number; compacted?: boolean; retentionMs?: number }[];
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** How long a fetch waits for data; low values keep end-to-end latency low. */
  maxWaitTimeMs?: number;
  /** How many keys of one fetched batch are handled at once. */
  keyConcurrency?: number;
}

/** The only place in the code base that talks to Kafka. */
export async function createKafkaTransport(config: KafkaTransportConfig): Promise<Transport> {
  const kafkaConfig: KafkaConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...rest } = entry.log;
      if (entry.level === logLevel.ERROR) config.log?.error({ kafka: rest }, message);
      else if (entry.level === logLevel.WARN) config.log?.warn({ kafka: rest }, message);
    },
  };
  const kafka = new Kafka(kafkaConfig);
  const admin: Admin = kafka.admin();
  await admin.connect();
  if (config.topics?.length) await ensureTopics(admin, config.topics);

  // Idempotent and one request in flight: retries never duplicate or reorder messages of a key.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumers = new Set<{ disconnect(): Promise<void> }>();
  const subscribedTopics = new Map<string, string[]>();

  return {
    kind: 'kafka',
    async publish(messages: OutgoingMessage[]) {
      if (messages.length === 0) return;
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const message of messages) {
        const list = byTopic.get(message.topic);
        if (list) list.push(message);
        else byTopic.set(message.topic, [message]);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    },
    async subscribe(options: SubscribeOptions): Promise<Subscription> {
      const consumer = kafka.consumer({
        groupId: options.group,
        maxWaitTimeInMs: config.maxWaitTimeMs ?? 100,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        retry: { retries: 10, restartOnFailure: async () => true },
      });
      const keyConcurrency = config.keyConcurrency ?? 16;
      consumers.add(consumer);
      subscribedTopics.set(options.group, options.topics);
      const joined = new Promise<void>((resolve) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      });
      await consumer.connect();
      // Only a subscriber that waits for the replay pays for the offset lookups.
      const behind = options.onCaughtUp ? await unreadEnds(admin, options) : new Map<string, bigint>();
      const caughtUpWith = (topic: string, partition: number, offset: string) => {
        const key = `${topic}/${partition}`;
        const end = behind.get(key);
        if (end === undefined || BigInt(offset) + 1n < end) return;
        behind.delete(key);
        if (behind.size === 0) options.onCaughtUp?.();
      };
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? false });
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        // Keys of one batch are handled in parallel, each key's messages in order; the batch's
        // offsets are committed only when all of it is done, so a crash redelivers (the inbox dedupes).
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const messages = batch.messages.map((message) => incomingMessage(batch.topic, batch.partition, message));
          if ('handleBatch' in options) {
            // A partition's batch goes to the consumer in slices, in offset order; each slice's
            // offsets are resolved once it is done, so a crash redelivers at most the unfinished slice.
            for (let start = 0; start < messages.length; start += options.maxBatch) {
              if (!isRunning() || isStale()) return;
              const slice = messages.slice(start, start + options.maxBatch);
              await options.handleBatch(slice);
              const last = (slice.at(-1) as IncomingMessage).offset;
              resolveOffset(last);
              caughtUpWith(batch.topic, batch.partition, last);
              await heartbeat();
            }
            return;
          }
          const handle = options.handle;
          const byKey = new Map<string, IncomingMessage[]>();
          for (const message of messages) byKey.set(message.key, [...(byKey.get(message.key) ?? []), message]);
          const queues = [...byKey.values()];
          const worker = async () => {
            for (let queue = queues.shift(); queue; queue = queues.shift()) {
              for (const message of queue) {
                if (!isRunning() || isStale()) return;
                await handle(message);
              }
            }
          };
          await Promise.all(Array.from({ length: Math.min(keyConcurrency, queues.length) }, worker));
          if (!isRunning() || isStale()) return;
          const last = batch.messages.at(-1);
          if (last) {
            resolveOffset(last.offset);
            caughtUpWith(batch.topic, batch.partition, last.offset);
          }
          await heartbeat();
        },
      });
      await joined;
      if (behind.size === 0) options.onCaughtUp?.();
      return {
        async stop() {
          consumers.delete(consumer);
          subscribedTopics.delete(options.group);
          await consumer.disconnect();
        },
      };
    },
    async ping() {
      await admin.describeCluster();
    },
    consumerLag: () => readConsumerLag(admin, subscribedTopics),
    async close() {
      await Promise.allSettled([...consumers].map((consumer) => consumer.disconnect()));
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

function incomingMessage(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers,
  };
}

/**
 * The end offset of every partition on which the group has something to read at subscription time:
 * from its committed offset, or else from the beginning or the end as asked.
 */
async function unreadEnds(admin: Admin, options: SubscribeOptions): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  const committed = await retryingWhileRetriable(() =>
    admin.fetchOffsets({ groupId: options.group, topics: options.topics }),
  );
  for (const topic of options.topics) {
    const groupOffsets = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      const resumeAt = BigInt(groupOffsets.find((entry) => entry.partition === partition)?.offset ?? '-1');
      const start = resumeAt >= 0n ? resumeAt : options.fromBeginning ? BigInt(low) : BigInt(high);
      if (BigInt(high) > start) ends.set(`${topic}/${partition}`, BigInt(high));
    }
  }
  return ends;
}

/**
 * A broker that has just started (or moved a group's coordinator) answers offset requests with
 * retriable errors such as "not the correct coordinator" for a moment; kafkajs' admin does not retry
 * those itself.
 */
async function retryingWhileRetriable<T>(request: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

async function ensureTopics(admin: Admin, topics: NonNullable<KafkaTransportConfig['topics']>): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions ?? 3,
      replicationFactor: 1,
      configEntries: topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : retention(topic.retentionMs),
    })),
  });
}

/** Kafka deletes only closed segments, so a bounded retention also rolls segments that often. */
function retention(ms: number | undefined): { name: string; value: string }[] {
  if (ms === undefined) return [{ name: 'retention.ms', value: '-1' }];
  return [
    { name: 'retention.ms', value: String(ms) },
    { name: 'segment.ms', value: String(ms) },
  ];
}
