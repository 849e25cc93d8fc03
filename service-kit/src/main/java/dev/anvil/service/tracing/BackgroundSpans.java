package dev.anvil.service.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs work taken up from a database row (a training job, an evaluation) in a span of the trace that row was
 * written in ({@link Traceparent}), so that what the work does, the events it sends above all, continues that
 * trace rather than starting none. The span fails with the exception the work throws, which goes on to the caller.
 */
@ApplicationScoped
public class BackgroundSpans {
    /** The instrumentation scope of every span the suite starts itself. */
    public static final String SCOPE = "dev.anvil.service";

    private final Tracer tracer;

    public BackgroundSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * Runs {@code work} in a new INTERNAL span called {@code name} (a low-cardinality name such as
     * {@code "training job"}; ids go in {@code attributes}), the child of {@code traceparent} or the root of a new
     * trace when it is null.
     */
    public void run(String name, String traceparent, Attributes attributes, Runnable work) {
        Span span = tracer.spanBuilder(name).setParent(Traceparent.context(traceparent))
                .setAllAttributes(attributes).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
