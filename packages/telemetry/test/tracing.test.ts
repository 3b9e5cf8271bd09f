import { context, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing } from '../src/tracing';

// The SDK registers itself globally; each case starts its own and takes it down again.
describe('startTracing', () => {
  let shutdown: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await shutdown?.();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  function spanUnder(env: NodeJS.ProcessEnv) {
    const sdk = startTracing('tracing-test', env);
    shutdown = () => sdk.shutdown();
    return trace.getTracer('test').startSpan('work');
  }

  it('records nothing without an exporter, but still makes up trace and span ids to propagate', () => {
    const span = spanUnder({});
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    expect(carrier.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-00`);
  });

  it('records spans once an OTLP endpoint is configured', () => {
    const span = spanUnder({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(span.isRecording()).toBe(true);
  });
});
