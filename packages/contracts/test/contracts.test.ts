import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument } from '../src/asyncapi';
import { fromKafkaMessage, MalformedCloudEvent, toKafkaHeaders } from '../src/cloud-event';
import { parseEventData, topicNames, topics } from '../src/topics';

describe('CloudEvents in Kafka binary mode', () => {
  const event = {
    id: '0193a0c4-0000-7000-8000-000000000001',
    source: 'ticketing',
    type: 'availability.changed',
    time: '2027-03-01T18:00:00.000Z',
    subject: 'tt-1',
    data: { available: 3 },
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };

  it('round-trips through ce_* headers and a JSON value', () => {
    const headers = toKafkaHeaders(event);
    expect(headers).toMatchObject({ ce_specversion: '1.0', ce_id: event.id, 'content-type': 'application/json' });
    expect(fromKafkaMessage(headers, JSON.stringify(event.data))).toEqual(event);
  });

  it('rejects messages that are not CloudEvents', () => {
    const headers = toKafkaHeaders(event);
    expect(() => fromKafkaMessage({ ...headers, ce_specversion: '0.3' }, '{}')).toThrow(MalformedCloudEvent);
    expect(() => fromKafkaMessage({ ...headers, ce_id: '' }, '{}')).toThrow(MalformedCloudEvent);
    expect(() => fromKafkaMessage(headers, '{nope')).toThrow(MalformedCloudEvent);
  });
});

describe('topic registry', () => {
  it('lists every topic of the public contract', () => {
    expect(topicNames.sort()).toEqual([
      'analytics.page-view.v1',
      'events.event.v1',
      'identity.session.v1',
      'identity.user.v1',
      'payments.payment.v1',
      'ticketing.availability.v1',
      'ticketing.registration.v1',
      'ticketing.ticket-type.v1',
    ]);
  });

  it('validates payloads against their schema', () => {
    expect(() =>
      parseEventData('ticketing.availability.v1', 'availability.changed', { eventId: 'x', available: -1 }),
    ).toThrow();
  });

  it('generates an AsyncAPI document with every event type, identical to the committed one', () => {
    const document = buildAsyncApiDocument() as { components: { messages: Record<string, { name: string }> } };
    const names = Object.values(document.components.messages).map((message) => message.name);
    const expected = Object.values(topics).flatMap((topic) => Object.keys(topic.types));
    expect(names.sort()).toEqual(expected.sort());
    const committed = JSON.parse(readFileSync(new URL('../asyncapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
