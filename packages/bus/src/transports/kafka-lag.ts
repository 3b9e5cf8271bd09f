import type { Admin } from 'kafkajs';
import type { PartitionLag } from '../transport';

/**
 * How far each consumer group is behind, per partition: the partition's end offset minus the
 * group's committed offset. A group that has committed nothing yet counts from the partition's
 * start (our consumers begin there). Read from the broker when asked (on a metrics scrape), so it
 * costs one offsets request per group and per topic, and nothing between scrapes.
 */
export async function readConsumerLag(admin: Admin, groups: ReadonlyMap<string, string[]>): Promise<PartitionLag[]> {
  const ends = new Map<string, Promise<Map<number, { low: string; high: string }>>>();
  const endsOf = (topic: string) => {
    let end = ends.get(topic);
    if (!end) {
      end = admin
        .fetchTopicOffsets(topic)
        .then((partitions) => new Map(partitions.map((partition) => [partition.partition, partition])));
      ends.set(topic, end);
    }
    return end;
  };
  const lags: PartitionLag[] = [];
  for (const [group, topics] of groups) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
      const end = await endsOf(topic);
      for (const { partition, offset } of partitions) {
        const range = end.get(partition);
        if (!range) continue;
        const committed = offset === '-1' ? Number(range.low) : Number(offset);
        lags.push({ group, topic, partition, lag: Math.max(0, Number(range.high) - committed) });
      }
    }
  }
  return lags;
}
