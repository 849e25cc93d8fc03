package dev.anvil.gateway.rollout;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.LatencyHistogram;
import dev.anvil.gateway.live.Window;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of one canary check, each at and past its bound with the documented defaults. */
class CanaryCheckTest {
    /** The defaults of application.properties. */
    static final GatewayConfig.Rollout DEFAULTS = new GatewayConfig.Rollout() {
        public int firstWeight() { return 10; }
        public int stepWeight() { return 10; }
        public int maxWeight() { return 50; }
        public Duration interval() { return Duration.ofMinutes(1); }
        public int threshold() { return 5; }
        public int minRequests() { return 20; }
        public double maxErrorRateIncrease() { return 0.01; }
        public double maxLatencyRatio() { return 1.5; }
        public Duration latencySlack() { return Duration.ofMillis(100); }
        public double maxRefusalRateIncrease() { return 0.05; }
        public double maxNegativeFeedbackIncrease() { return 0.1; }
        public int minFeedback() { return 5; }
    };

    /** {@code requests} answered within {@code latencyMs} each. */
    static Window window(long requests, long errors, long refusals, long latencyMs, long up, long down) {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        buckets[LatencyHistogram.bucketOf(Duration.ofMillis(latencyMs).toNanos())] = requests;
        return new Window("v", Instant.EPOCH, Instant.EPOCH, requests, errors, refusals, buckets, up, down);
    }

    static CanaryCheck.Result check(Window canary, Window stable) {
        return CanaryCheck.of(canary, stable, DEFAULTS);
    }

    @Test
    void tooLittleTrafficGivesNoVerdict() {
        CanaryCheck.Result r = check(window(19, 19, 0, 50, 0, 0), window(100, 0, 0, 50, 0, 0));
        assertEquals(CanaryCheck.Outcome.SKIPPED, r.outcome());
        assertTrue(r.reasons().get(0).contains("19 requests, fewer than min-requests 20"), r.reasons().toString());
    }

    @Test
    void aCanaryLikeItsStableVersionPasses() {
        CanaryCheck.Result r = check(window(100, 1, 2, 50, 9, 1), window(1000, 10, 20, 50, 90, 10));
        assertEquals(CanaryCheck.Outcome.PASSED, r.outcome(), r.reasons().toString());
        assertEquals(4, r.reasons().size());
    }

    @Test
    void eachRuleFailsPastItsBoundRelativeToTheStableVersion() {
        Window stable = window(1000, 10, 20, 100, 90, 10); // 1% errors, 2% refusals, p99 100 ms, 10% negative
        // errors: 2.0% <= 1% + 1% passes, 3% fails
        assertEquals(CanaryCheck.Outcome.PASSED, check(window(100, 2, 0, 100, 0, 0), stable).outcome());
        assertFailsOn("error rate 3.0% > 2.0%", check(window(100, 3, 0, 100, 0, 0), stable));
        // refusals: 7% <= 2% + 5% passes, 8% fails
        assertEquals(CanaryCheck.Outcome.PASSED, check(window(100, 0, 7, 100, 0, 0), stable).outcome());
        assertFailsOn("refusal rate 8.0% > 7.0%", check(window(100, 0, 8, 100, 0, 0), stable));
        // latency, in the histogram's buckets (..., 50, 100, 250, 500 ms, ...): the bound is max(100 ms x 1.5,
        // 100 ms + 100 ms) = 200 ms; a p99 of 101-250 ms may be within it and passes, one of 251-500 ms cannot
        assertEquals(CanaryCheck.Outcome.PASSED, check(window(100, 0, 0, 120, 0, 0), stable).outcome());
        assertFailsOn("p99 latency 250-500 ms > 200 ms", check(window(100, 0, 0, 300, 0, 0), stable));
        assertFailsOn("p99 latency > 300000 ms > 200 ms", check(window(100, 0, 0, 400_000, 0, 0), stable));
        // feedback: 2 of 10 negative (20%) <= 10% + 10% passes, 3 of 10 fails; 4 ratings are too few to count
        assertEquals(CanaryCheck.Outcome.PASSED, check(window(100, 0, 0, 100, 8, 2), stable).outcome());
        assertFailsOn("negative feedback 30.0% > 20.0%", check(window(100, 0, 0, 100, 7, 3), stable));
        assertEquals(CanaryCheck.Outcome.PASSED, check(window(100, 0, 0, 100, 0, 4), stable).outcome());
    }

    static void assertFailsOn(String line, CanaryCheck.Result r) {
        assertEquals(CanaryCheck.Outcome.FAILED, r.outcome(), r.reasons().toString());
        assertTrue(r.failures().contains(line), r.failures());
    }
}
