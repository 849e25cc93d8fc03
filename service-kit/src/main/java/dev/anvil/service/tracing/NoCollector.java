package dev.anvil.service.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tracing without a collector, unless one is named. Quarkus's OTLP exporter otherwise sends to its default endpoint
 * {@value #QUARKUS_DEFAULT} and logs a warning for every batch when nothing listens there (a laptop, a test). While
 * neither {@code quarkus.otel.exporter.otlp.endpoint} nor {@code ...otlp.traces.endpoint} is set to anything else
 * (unset or empty, both read as that default), this span exporter, which drops every span, is a bean, and a span
 * exporter bean is what makes Quarkus leave its OTLP exporter out. Spans are still made by the real SDK, with valid
 * ids that travel in HTTP and Kafka headers; only nothing leaves the process. Setting the endpoint (on Kubernetes
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}) hides this bean at run time, and the OTLP exporter sends there
 * (docs/tracing.md). A collector really at localhost is named {@code http://127.0.0.1:4317}.
 */
@ApplicationScoped
public class NoCollector {
    /** What Quarkus's OTLP exporter reads for an endpoint that is not configured. */
    static final String QUARKUS_DEFAULT = "http://localhost:4317/";

    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = QUARKUS_DEFAULT,
            lookupIfMissing = true)
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = QUARKUS_DEFAULT,
            lookupIfMissing = true)
    SpanExporter droppingSpans() {
        return SpanExporter.composite(); // no exporters: a no-op
    }
}
