import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Client spans, with `traceparent` injected, for every outgoing HTTP request: Node's fetch (JWKS,
 * the Stripe SDK's fetch client, readiness checks) and undici (the gateway's proxy). Undici reports
 * requests on `diagnostics_channel`, so this needs no module patching and works under ESM and tsx.
 * PostgreSQL spans come from `@echoplex/db` itself; server and consumer spans from `@echoplex/http`
 * and `@echoplex/bus`.
 */
export function httpClientInstrumentations(): Instrumentation[] {
  return [new UndiciInstrumentation()];
}

/**
 * Starts the OpenTelemetry SDK. Spans are exported over OTLP only when an endpoint is configured.
 * Without one nothing is recorded, but trace context is still made up and propagated, so log
 * lines, responses (`x-trace-id`) and outbox rows carry trace ids.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: httpClientInstrumentations(),
    // Metrics are prom-client's and logs pino's: the SDK's own defaults would post OTel metrics and
    // logs over OTLP to a collector nobody configured.
    metricReaders: [],
    logRecordProcessors: [],
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { traceExporter: new OTLPTraceExporter() }
      : // The SDK registers a tracer only when it has a span processor: without one every span was
        // the invalid one, all-zero ids. Non-recording spans still get real ids, and cost far less
        // than collecting attributes and timings nobody reads.
        { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
  });
  sdk.start();
  return sdk;
}
