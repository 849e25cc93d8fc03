package dev.anvil.gateway.rollout;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.drift.DriftThresholds;
import dev.anvil.gateway.drift.FeatureCheck;
import dev.anvil.gateway.drift.Reference;
import dev.anvil.gateway.drift.RequestFeatures;
import dev.anvil.gateway.live.LatencyHistogram;
import dev.anvil.gateway.live.Window;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

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
        public boolean driftCheck() { return false; }
    };

    /** The defaults with the drift of answer lengths enforced. */
    static final GatewayConfig.Rollout ENFORCING_DRIFT = new GatewayConfig.Rollout() {
        public int firstWeight() { return DEFAULTS.firstWeight(); }
        public int stepWeight() { return DEFAULTS.stepWeight(); }
        public int maxWeight() { return DEFAULTS.maxWeight(); }
        public Duration interval() { return DEFAULTS.interval(); }
        public int threshold() { return DEFAULTS.threshold(); }
        public int minRequests() { return DEFAULTS.minRequests(); }
        public double maxErrorRateIncrease() { return DEFAULTS.maxErrorRateIncrease(); }
        public double maxLatencyRatio() { return DEFAULTS.maxLatencyRatio(); }
        public Duration latencySlack() { return DEFAULTS.latencySlack(); }
        public double maxRefusalRateIncrease() { return DEFAULTS.maxRefusalRateIncrease(); }
        public double maxNegativeFeedbackIncrease() { return DEFAULTS.maxNegativeFeedbackIncrease(); }
        public int minFeedback() { return DEFAULTS.minFeedback(); }
        public boolean driftCheck() { return true; }
    };

    /** {@code requests} answered within {@code latencyMs} each. */
    static Window window(long requests, long errors, long refusals, long latencyMs, long up, long down) {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        buckets[LatencyHistogram.bucketOf(Duration.ofMillis(latencyMs).toNanos())] = requests;
        return new Window("v", Instant.EPOCH, Instant.EPOCH, requests, errors, refusals, buckets, up, down);
    }

    static CanaryCheck.Result check(Window canary, Window stable) {
        return CanaryCheck.of(canary, stable, Optional.empty(), DEFAULTS);
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
        assertEquals(5, r.reasons().size());
        assertTrue(r.reasons().get(4).contains("too few answers"), r.reasons().get(4));
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

    @Test
    void theDriftOfAnswerLengthsIsReportedAndFailsACheckOnlyWhenEnforced() {
        Window healthy = window(100, 0, 0, 50, 0, 0);
        // Answers of 30-39 tokens from the stable version; the canary answers with 0-2, or like the stable one.
        FeatureCheck terse = responseTokens(i -> 30 + i % 10, i -> i % 3);
        FeatureCheck alike = responseTokens(i -> 30 + i % 10, i -> 30 + (i * 7) % 10);
        CanaryCheck.Result failed = CanaryCheck.of(healthy, healthy, Optional.of(terse), ENFORCING_DRIFT);
        assertFailsOn("response length drift from the stable version: psi", failed);
        assertTrue(failed.failures().contains("ks_p_value"), failed.failures());
        CanaryCheck.Result reported = CanaryCheck.of(healthy, healthy, Optional.of(terse), DEFAULTS);
        assertEquals(CanaryCheck.Outcome.PASSED, reported.outcome(), reported.reasons().toString());
        assertTrue(reported.reasons().get(4).startsWith("pass response length drift from the stable version "
                + "(reported only, drift-check is off): psi"), reported.reasons().get(4));
        CanaryCheck.Result passed = CanaryCheck.of(healthy, healthy, Optional.of(alike), ENFORCING_DRIFT);
        assertEquals(CanaryCheck.Outcome.PASSED, passed.outcome(), passed.reasons().toString());
    }

    /** The response_tokens check of 100 canary answers against 100 stable ones, lengths by index. */
    static FeatureCheck responseTokens(IntUnaryOperator stable, IntUnaryOperator canary) {
        List<RequestFeatures> reference = new ArrayList<>();
        List<RequestFeatures> live = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            reference.add(new RequestFeatures(new int[]{1}, stable.applyAsInt(i), false, Map.of(), null));
            live.add(new RequestFeatures(new int[]{1}, canary.applyAsInt(i), false, Map.of(), null));
        }
        DriftThresholds thresholds = new DriftThresholds(0.2, 0.01, 0.1, 0.1);
        return Reference.of(reference, 1000).compare(live, thresholds).stream()
                .filter(c -> c.feature().equals("response_tokens")).findFirst().orElseThrow();
    }

    static void assertFailsOn(String line, CanaryCheck.Result r) {
        assertEquals(CanaryCheck.Outcome.FAILED, r.outcome(), r.reasons().toString());
        assertTrue(r.failures().contains(line), r.failures());
    }
}
