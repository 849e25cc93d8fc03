package dev.anvil.gateway.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's serving metrics on {@code /q/metrics} (docs/metrics.md), per route (the model name the client asked
 * for) and version: requests by outcome, latency, time to first token, inter-token latency and tokens. Timers publish
 * Prometheus histograms, so that {@code histogram_quantile} works across replicas. Labels come only from registered
 * routes and versions (an unknown model is refused before it is served), so their number stays bounded.
 */
@ApplicationScoped
public class ServingMeters {
    static final String REQUESTS = "anvil.gateway.requests";
    static final String DURATION = "anvil.gateway.request.duration";
    static final String FIRST_TOKEN = "anvil.gateway.time.to.first.token";
    static final String INTER_TOKEN = "anvil.gateway.inter.token.latency";
    static final String TOKENS = "anvil.gateway.tokens";

    private final MeterRegistry registry;

    public ServingMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One request ended with {@code outcome} after {@code nanos}. */
    void request(String route, String version, Outcome outcome, long nanos) {
        Counter.builder(REQUESTS).description("Requests served, by outcome").tags("route", route, "version", version,
                "outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
        timer(DURATION, "Time from the version being chosen to the request's end", route, version, Duration.ofMinutes(5))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * An answered request's tokens and token timings.
     *
     * @param firstTokenNanos from the version being chosen to the first text, or -1 if none came
     * @param interTokenNanos the mean time between output tokens after the first, or -1 for fewer than two tokens
     */
    void answered(String route, String version, int promptTokens, int completionTokens, long firstTokenNanos,
                  long interTokenNanos) {
        tokens(route, version, "prompt").increment(promptTokens);
        tokens(route, version, "completion").increment(completionTokens);
        if (firstTokenNanos >= 0) {
            timer(FIRST_TOKEN, "Time to the first text of an answer", route, version, Duration.ofMinutes(5))
                    .record(firstTokenNanos, TimeUnit.NANOSECONDS);
        }
        if (interTokenNanos >= 0) {
            timer(INTER_TOKEN, "Mean time between an answer's output tokens after the first", route, version,
                    Duration.ofSeconds(10)).record(interTokenNanos, TimeUnit.NANOSECONDS);
        }
    }

    private Counter tokens(String route, String version, String kind) {
        return Counter.builder(TOKENS).description("Tokens of answered requests: prompt or completion")
                .tags("route", route, "version", version, "kind", kind).register(registry);
    }

    private Timer timer(String name, String description, String route, String version, Duration max) {
        return Timer.builder(name).description(description).tags("route", route, "version", version)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(max)
                .register(registry);
    }
}
