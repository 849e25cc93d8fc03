package dev.anvil.gateway.safety;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The safety layer's metrics on {@code /q/metrics} (docs/metrics.md), per route and version: what answers had masked,
 * by kind, and the prompts and answers a filter refused or cut. Labels come from registered routes and versions and
 * the fixed kinds, so their number stays bounded; meters are looked up only when something was found.
 */
@ApplicationScoped
public class SafetyMeters {
    static final String REDACTIONS = "anvil.gateway.redactions";
    static final String FILTERED = "anvil.gateway.content.filtered";

    /** Which way the filtered text went. */
    enum Direction {
        PROMPT("prompt"), RESPONSE("response");

        final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    private final MeterRegistry registry;

    public SafetyMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts a redaction's masks by kind, and its cut when a filter cut it. */
    void answered(String route, String version, Redaction redaction) {
        for (Map.Entry<String, Integer> masked : redaction.counts().entrySet()) {
            Counter.builder(REDACTIONS).description("Pieces of answers masked, by kind (a PII type, term, pattern)")
                    .tags("route", route, "version", version, "kind", masked.getKey()).register(registry)
                    .increment(masked.getValue());
        }
        if (redaction.cut()) filtered(route, version, Direction.RESPONSE);
    }

    void filtered(String route, String version, Direction direction) {
        Counter.builder(FILTERED).description("Prompts refused and answers cut by a content filter")
                .tags("route", route, "version", version, "direction", direction.label).register(registry).increment();
    }
}
