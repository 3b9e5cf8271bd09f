import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry SDK. Spans are exported over OTLP only when an endpoint is configured;
 * without one the SDK still propagates trace context so log lines and outbox rows carry trace ids.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: env.OTEL_EXPORTER_OTLP_ENDPOINT ? new OTLPTraceExporter() : undefined,
  });
  sdk.start();
  return sdk;
}
