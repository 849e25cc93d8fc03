/**
 * Distributed traces across the suite (docs/tracing.md). Quarkus's OpenTelemetry extension starts a SERVER span for
 * every HTTP request and reads an incoming {@code traceparent} header; the Kafka plumbing
 * ({@link dev.anvil.service.kafka}) carries the trace in record headers. What this package adds is for the places
 * where a trace would otherwise break: {@link dev.anvil.service.tracing.Traceparent} saves the current trace with an
 * outbox row or a queued job and restores it later, {@link dev.anvil.service.tracing.BackgroundSpans} runs the
 * later work in a span of that trace, and {@link dev.anvil.service.tracing.NoCollector} keeps spans in the process
 * unless an OTLP endpoint is configured.
 */
package dev.anvil.service.tracing;
