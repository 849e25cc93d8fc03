package dev.anvil.service.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace context as one W3C {@code traceparent} string ({@code 00-<trace id>-<span id>-<flags>}), for work that
 * leaves the thread its trace runs on and is done later from a database row: an outbox row sent by a relay, a job
 * a worker takes up. Saved with the row in the transaction that writes it, it puts the later work back into the
 * trace of the request or message that caused it (docs/tracing.md). Always W3C, whatever propagators are
 * configured, since it is stored; {@code tracestate} and baggage are not kept.
 */
public final class Traceparent {
    /** The longest traceparent this version of the format writes (55 characters); columns are sized for it. */
    public static final int MAX_LENGTH = 55;
    private static final String HEADER = "traceparent";

    private Traceparent() {
    }

    /** The current span's traceparent; null when there is no valid span (tracing off, or outside any trace). */
    public static String current() {
        if (!Span.current().getSpanContext().isValid()) return null;
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, MapCarrier.INSTANCE);
        return carrier.get(HEADER);
    }

    /**
     * The context {@code traceparent} names, as the remote parent of whatever starts in it; the root context (work
     * under it starts a new trace) when it is null or not a valid traceparent.
     */
    public static Context context(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) return Context.root();
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, traceparent),
                MapCarrier.INSTANCE);
    }

    /** A string map as the propagator's carrier. */
    private enum MapCarrier implements TextMapGetter<Map<String, String>>, TextMapSetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }

        @Override
        public void set(Map<String, String> carrier, String key, String value) {
            carrier.put(key, value);
        }
    }
}
