import type { IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, Transport } from '../transport';

interface GroupQueue {
  topics: Set<string>;
  members: SubscribeOptions[];
  pending: IncomingMessage[];
  draining: boolean;
  next: number;
}

/**
 * The bus for embedded mode: the same outbox and inbox as with Kafka, but messages travel in memory.
 * Each group gets every message of its topics once, in publish order; a failing message is retried
 * (the consumer wrapper decides when to dead-letter it), exactly as Kafka would redeliver it.
 */
export function createInProcessTransport(): Transport {
  const groups = new Map<string, GroupQueue>();
  const offsets = new Map<string, number>();
  let closed = false;

  const drain = async (group: GroupQueue) => {
    if (group.draining) return;
    group.draining = true;
    try {
      while (group.pending.length > 0 && !closed) {
        const member = group.members[group.next++ % Math.max(group.members.length, 1)];
        if (!member) break;
        const message = group.pending[0] as IncomingMessage;
        try {
          await member.handle(message);
          group.pending.shift();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      group.draining = false;
    }
  };

  return {
    kind: 'in-process',
    async publish(messages: OutgoingMessage[]) {
      if (closed) throw new Error('bus closed');
      for (const message of messages) {
        const offset = offsets.get(message.topic) ?? 0;
        offsets.set(message.topic, offset + 1);
        for (const group of groups.values()) {
          if (!group.topics.has(message.topic)) continue;
          group.pending.push({ ...message, partition: 0, offset: String(offset) });
          void drain(group);
        }
      }
    },
    async subscribe(options: SubscribeOptions): Promise<Subscription> {
      let group = groups.get(options.group);
      if (!group) {
        group = { topics: new Set(), members: [], pending: [], draining: false, next: 0 };
        groups.set(options.group, group);
      }
      for (const topic of options.topics) group.topics.add(topic);
      group.members.push(options);
      const joined = group;
      return {
        async stop() {
          joined.members = joined.members.filter((member) => member !== options);
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
