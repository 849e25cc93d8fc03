package dev.anvil.gateway.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** The meters of each route and version, made once: a request only looks them up. */
    private final Map<Key, VersionMeters> meters = new ConcurrentHashMap<>();

    public ServingMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One request ended with {@code outcome} after {@code nanos}. */
    void request(String route, String version, Outcome outcome, long nanos) {
        VersionMeters m = of(route, version);
        m.requests.get(outcome).increment();
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * An answered request's tokens and token timings.
     *
     * @param firstTokenNanos from the version being chosen to the first text, or -1 if none came
     * @param interTokenNanos the mean time between output tokens after the first, or -1 for fewer than two tokens
     */
    void answered(String route, String version, int promptTokens, int completionTokens, long firstTokenNanos,
                  long interTokenNanos) {
        VersionMeters m = of(route, version);
        m.promptTokens.increment(promptTokens);
        m.completionTokens.increment(completionTokens);
        if (firstTokenNanos >= 0) m.firstToken.record(firstTokenNanos, TimeUnit.NANOSECONDS);
        if (interTokenNanos >= 0) m.interToken.record(interTokenNanos, TimeUnit.NANOSECONDS);
    }

    private VersionMeters of(String route, String version) {
        return meters.computeIfAbsent(new Key(route, version), VersionMeters::new);
    }

    private record Key(String route, String version) {
    }

    /** The meters of one route and version. */
    private final class VersionMeters {
        final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
        final Timer duration;
        final Timer firstToken;
        final Timer interToken;
        final Counter promptTokens;
        final Counter completionTokens;

        VersionMeters(Key key) {
            for (Outcome outcome : Outcome.values()) {
                requests.put(outcome, Counter.builder(REQUESTS).description("Requests served, by outcome")
                        .tags("route", key.route(), "version", key.version(),
                                "outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            duration = timer(DURATION, "Time from the version being chosen to the request's end", key,
                    Duration.ofMinutes(5));
            firstToken = timer(FIRST_TOKEN, "Time to the first text of an answer", key, Duration.ofMinutes(5));
            interToken = timer(INTER_TOKEN, "Mean time between an answer's output tokens after the first", key,
                    Duration.ofSeconds(10));
            promptTokens = tokens(key, "prompt");
            completionTokens = tokens(key, "completion");
        }

        private Counter tokens(Key key, String kind) {
            return Counter.builder(TOKENS).description("Tokens of answered requests: prompt or completion")
                    .tags("route", key.route(), "version", key.version(), "kind", kind).register(registry);
        }

        private Timer timer(String name, String description, Key key, Duration max) {
            return Timer.builder(name).description(description).tags("route", key.route(), "version", key.version())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(max)
                    .register(registry);
        }
    }
}
