import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry SDK. Spans are exported over OTLP only when an endpoint is configured;
 * without one the SDK still propagates trace context so log lines and outbox rows carry trace ids.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    // Without an endpoint no spans are exported at all (the SDK would otherwise default to OTLP on localhost).
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [] }),
  });
  sdk.start();
  return sdk;
}
