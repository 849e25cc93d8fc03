package dev.anvil.gateway.live;

import java.time.Duration;
import java.time.Instant;

/**
 * A version's live counts over a span of time: one replica's flushed window, or the sum of every replica's windows
 * that {@link LiveMetrics#since} found.
 *
 * @param latencyBuckets request counts per {@link LatencyHistogram} bucket (answered and failed requests; a request
 *     whose client left has no latency)
 * @param positiveFeedback ratings of 1 given in the span; a rating replaced later is taken back in the window of its
 *     replacement, so sums stay exact over spans that hold both
 */
public record Window(String versionId, Instant from, Instant to, long requests, long errors, long refusals,
                     long[] latencyBuckets, long positiveFeedback, long negativeFeedback) {

    public Window {
        latencyBuckets = LatencyHistogram.merged(latencyBuckets, null);
    }

    static Window empty(String versionId, Instant from, Instant to) {
        return new Window(versionId, from, to, 0, 0, 0, null, 0, 0);
    }

    /** Errors (5xx, timeouts) per request; 0 without requests. */
    public double errorRate() {
        return rate(errors, requests);
    }

    /** Answers that refuse ({@link RefusalPhrases}) per request; 0 without requests. */
    public double refusalRate() {
        return rate(refusals, requests);
    }

    /** Negative ratings among all ratings; 0 without ratings. */
    public double negativeFeedbackRate() {
        return rate(Math.max(0, negativeFeedback), Math.max(0, positiveFeedback) + Math.max(0, negativeFeedback));
    }

    /**
     * The upper bound of the latency bucket holding the 99th percentile: zero without requests,
     * {@link LatencyHistogram#BEYOND_LAST_BOUND} when it lies past the last bound.
     */
    public Duration p99() {
        return LatencyHistogram.quantile(latencyBuckets, 0.99);
    }

    public boolean isEmpty() {
        return requests == 0 && positiveFeedback == 0 && negativeFeedback == 0;
    }

    /** Both windows' counts together, over this window's span (a sum over a query's span). */
    Window plus(Window other) {
        return new Window(versionId, from, to, requests + other.requests, errors + other.errors,
                refusals + other.refusals, LatencyHistogram.merged(latencyBuckets, other.latencyBuckets),
                positiveFeedback + other.positiveFeedback, negativeFeedback + other.negativeFeedback);
    }

    private static double rate(long part, long whole) {
        return whole <= 0 ? 0.0 : (double) part / whole;
    }
}
