package dev.anvil.service.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tracing without a collector, unless one is named. Quarkus's OTLP exporter otherwise sends to
 * {@code localhost:4317} by default and logs an error for every batch when nothing listens there (a laptop, a
 * test). While neither {@code quarkus.otel.exporter.otlp.endpoint} nor {@code ...otlp.traces.endpoint} is set (an
 * empty value counts as unset), this span exporter, which drops every span, is a bean, and a span exporter bean
 * is what makes Quarkus leave its OTLP exporter out. Spans are still made by the real SDK, with valid ids that
 * travel in HTTP and Kafka headers; only nothing leaves the process. Setting the endpoint (on Kubernetes
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}) hides this bean at run time, and the OTLP exporter sends there
 * (docs/tracing.md).
 */
@ApplicationScoped
public class NoCollector {

    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = "", lookupIfMissing = true)
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = "", lookupIfMissing = true)
    SpanExporter droppingSpans() {
        return SpanExporter.composite(); // no exporters: a no-op
    }
}
