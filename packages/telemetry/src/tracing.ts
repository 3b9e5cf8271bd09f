import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

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
 * Starts the OpenTelemetry SDK. Spans are exported over OTLP only when an endpoint is configured;
 * without one the SDK still propagates trace context so log lines and outbox rows carry trace ids.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: httpClientInstrumentations(),
    // Without an endpoint no spans are exported at all (the SDK would otherwise default to OTLP on localhost).
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [] }),
  });
  sdk.start();
  return sdk;
}
