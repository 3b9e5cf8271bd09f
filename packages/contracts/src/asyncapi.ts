import { z } from 'zod';
import { type TopicDefinition, topics } from './topics';

/** The AsyncAPI 3 document for every topic, generated from the same zod schemas the code validates with. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [topic, definition] of Object.entries(topics) as [string, TopicDefinition][]) {
    const channelMessages: Record<string, unknown> = {};
    for (const [type, schema] of Object.entries(definition.types)) {
      const messageId = type.replace(/[^a-zA-Z0-9]/g, '_');
      messages[messageId] = {
        name: type,
        contentType: 'application/json',
        headers: cloudEventHeadersSchema(type),
        payload: z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }),
      };
      channelMessages[messageId] = { $ref: `#/components/messages/${messageId}` };
    }
    const channelId = topic.replace(/[^a-zA-Z0-9]/g, '_');
    channels[channelId] = {
      address: topic,
      description: definition.description,
      messages: channelMessages,
      bindings: {
        kafka: {
          topic,
          bindingVersion: '0.5.0',
          ...(definition.compacted ? { topicConfiguration: { 'cleanup.policy': ['compact'] } } : {}),
          ...(definition.retentionMs ? { topicConfiguration: { 'retention.ms': definition.retentionMs } } : {}),
        },
      },
    };
    operations[`receive_${channelId}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channelId}` },
      bindings: { kafka: { bindingVersion: '0.5.0', clientId: { type: 'string' } } },
      description: `Messages keyed by ${definition.key}.`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'EchoPlex domain events',
      version: '1.0.0',
      description: 'CloudEvents 1.0 in Kafka binary mode: ce_* headers, JSON value, aggregate id as key.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

function cloudEventHeadersSchema(type: string) {
  return {
    type: 'object',
    required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time'],
    properties: {
      ce_specversion: { const: '1.0' },
      ce_id: { type: 'string' },
      ce_source: { type: 'string' },
      ce_type: { const: type },
      ce_time: { type: 'string', format: 'date-time' },
      ce_subject: { type: 'string' },
      traceparent: { type: 'string' },
    },
  };
}
