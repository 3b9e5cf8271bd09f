import type { IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, Transport } from '../transport';

interface Group {
  topics: Set<string>;
  members: SubscribeOptions[];
  next: number;
  /** The tail of each key's delivery chain: one key's messages go one at a time, keys in parallel. */
  tails: Map<string, Promise<void>>;
  /** Batch groups: messages waiting for the next batch, and the delivery in progress. */
  queue: IncomingMessage[];
  draining: Promise<void> | undefined;
}

const redeliveryDelayMs = 100;

/**
 * The bus for embedded mode: the same outbox and inbox as with Kafka, but messages travel in memory.
 * Each group gets every message of its topics, in publish order per key (as a Kafka partition would
 * keep it) while different keys proceed in parallel; a failing delivery is retried, exactly as Kafka
 * would redeliver it (the consumer wrapper decides when to dead-letter). A group subscribed for
 * batches gets what has queued up meanwhile, one batch at a time, in publish order.
 */
export function createInProcessTransport(): Transport {
  const groups = new Map<string, Group>();
  const offsets = new Map<string, number>();
  let closed = false;

  const deliver = async (group: Group, message: IncomingMessage): Promise<void> => {
    while (!closed) {
      const member = group.members[group.next++ % Math.max(group.members.length, 1)];
      if (!member) return;
      try {
        if ('handleBatch' in member) await member.handleBatch([message]);
        else await member.handle(message);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, redeliveryDelayMs));
      }
    }
  };

  const drain = async (group: Group): Promise<void> => {
    // Yield first: the rest of the publishing call's messages join the first batch, and `draining`
    // is set before this can finish.
    await Promise.resolve();
    try {
      while (!closed && group.queue.length > 0) {
        const members = group.members.filter((member) => 'handleBatch' in member);
        const member = members[group.next++ % Math.max(members.length, 1)];
        if (!member || !('handleBatch' in member)) return;
        const batch = group.queue.slice(0, member.maxBatch);
        try {
          await member.handleBatch(batch);
          group.queue.splice(0, batch.length);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, redeliveryDelayMs));
        }
      }
    } finally {
      // In the same tick as the last look at the queue, so no message is left waiting for a drain.
      group.draining = undefined;
    }
  };

  const enqueue = (group: Group, message: IncomingMessage) => {
    if (group.members.some((member) => 'handleBatch' in member)) {
      group.queue.push(message);
      group.draining ??= drain(group);
      return;
    }
    const tail = (group.tails.get(message.key) ?? Promise.resolve()).then(() => deliver(group, message));
    group.tails.set(message.key, tail);
    void tail.then(() => {
      if (group.tails.get(message.key) === tail) group.tails.delete(message.key);
    });
  };

  return {
    kind: 'in-process',
    async publish(messages: OutgoingMessage[]) {
      if (closed) throw new Error('bus closed');
      for (const message of messages) {
        const offset = offsets.get(message.topic) ?? 0;
        offsets.set(message.topic, offset + 1);
        for (const group of groups.values()) {
          if (group.topics.has(message.topic)) enqueue(group, { ...message, partition: 0, offset: String(offset) });
        }
      }
    },
    async subscribe(options: SubscribeOptions): Promise<Subscription> {
      let group = groups.get(options.group);
      if (!group) {
        group = { topics: new Set(), members: [], next: 0, tails: new Map(), queue: [], draining: undefined };
        groups.set(options.group, group);
      }
      for (const topic of options.topics) group.topics.add(topic);
      group.members.push(options);
      // Messages exist only while in flight: there is no history to catch up with.
      options.onCaughtUp?.();
      const joined = group;
      return {
        async stop() {
          joined.members = joined.members.filter((member) => member !== options);
          await Promise.allSettled([...joined.tails.values(), joined.draining]);
        },
      };
    },
    async ping() {
      if (closed) throw new Error('bus closed');
    },
    async close() {
      closed = true;
    },
  };
}
