/**
 * A CloudEvents 1.0 event as it travels in Kafka binary content mode: attributes become `ce_*`
 * headers, the data is the message value and the aggregate id is the key.
 */
export interface CloudEvent<T = unknown> {
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  data: T;
  traceparent?: string;
}

export type MessageHeaders = Record<string, string>;

export function toKafkaHeaders(event: CloudEvent): MessageHeaders {
  const headers: MessageHeaders = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    ce_subject: event.subject,
    'content-type': 'application/json',
  };
  if (event.traceparent) headers.traceparent = event.traceparent;
  return headers;
}

export class MalformedCloudEvent extends Error {}

export function fromKafkaMessage(headers: MessageHeaders, value: string): CloudEvent {
  for (const required of ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time']) {
    if (!headers[required]) throw new MalformedCloudEvent(`missing header ${required}`);
  }
  if (headers.ce_specversion !== '1.0') {
    throw new MalformedCloudEvent(`unsupported specversion ${headers.ce_specversion}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new MalformedCloudEvent('value is not JSON');
  }
  return {
    id: headers.ce_id as string,
    source: headers.ce_source as string,
    type: headers.ce_type as string,
    time: headers.ce_time as string,
    subject: headers.ce_subject ?? '',
    data,
    traceparent: headers.traceparent,
  };
}
