package dev.anvil.eval.verdict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Policy}: merging a request's overrides over the configured policy, and validation. */
class PolicyTest {

    static final Policy CONFIGURED = new Policy(0.02, "tokenF1", 0.0, 0.05, 0.2, null);

    @Test
    void overridesWinWhereSetAndTheConfiguredValuesStayElsewhere() {
        Policy request = new Policy(null, "accuracy", 0.01, null, null, 0.05);
        assertEquals(new Policy(0.02, "accuracy", 0.01, 0.05, 0.2, 0.05), CONFIGURED.withOverrides(request));
        assertEquals(CONFIGURED, CONFIGURED.withOverrides(Policy.none()));
        assertSame(CONFIGURED, CONFIGURED.withOverrides(null));
        assertEquals(request, Policy.none().withOverrides(request));
    }

    @Test
    void theTaskMetricDefaultsToTokenF1() {
        assertEquals("tokenF1", Policy.none().taskMetricOrDefault());
        assertEquals("accuracy", new Policy(null, "accuracy", null, null, null, null).taskMetricOrDefault());
    }

    /** An unset task metric in a request keeps the configured one rather than falling back to the default. */
    @Test
    void anUnsetTaskMetricKeepsTheConfiguredOne() {
        Policy configured = new Policy(null, "accuracy", 0.0, null, null, null);
        assertEquals("accuracy", configured.withOverrides(new Policy(null, null, 0.05, null, null, null))
                .taskMetricOrDefault());
    }

    @Test
    void boundsAreAccepted() {
        Policy.none().validate();
        new Policy(-1.0, "a", 0.0, 0.0, 0.0, 0.0).validate();
        new Policy(0.999, "x".repeat(64), 100.0, 1.0, 1.0, 1.0).validate();
        new Policy(0.0, "rouge_L-sum.v2", 0.5, 0.5, 0.5, 0.5).validate();
    }

    @Test
    void validationNamesTheFieldTheRangeAndTheValue() {
        assertRefused("policy.minPerplexityImprovement must be in [-1, 1), got 5.0",
                new Policy(5.0, null, null, null, null, null));
        assertRefused("policy.minPerplexityImprovement must be in [-1, 1), got 1.0",
                new Policy(1.0, null, null, null, null, null));
        assertRefused("policy.minPerplexityImprovement must be in [-1, 1), got -1.5",
                new Policy(-1.5, null, null, null, null, null));
        assertRefused("policy.maxTaskMetricDrop must be in [0, 100], got -0.1",
                new Policy(null, null, -0.1, null, null, null));
        assertRefused("policy.maxTaskMetricDrop must be in [0, 100], got 100.5",
                new Policy(null, null, 100.5, null, null, null));
        assertRefused("policy.maxEmptyAnswerRate must be in [0, 1], got 1.5",
                new Policy(null, null, null, 1.5, null, null));
        assertRefused("policy.maxRepetitionRate must be in [0, 1], got -0.01",
                new Policy(null, null, null, null, -0.01, null));
        assertRefused("policy.maxRepetitionIncrease must be in [0, 1], got 2.0",
                new Policy(null, null, null, null, null, 2.0));
    }

    @Test
    void nanAndInfinitiesAreRefused() {
        assertRefused("policy.minPerplexityImprovement must be in [-1, 1), got NaN",
                new Policy(Double.NaN, null, null, null, null, null));
        assertRefused("policy.maxTaskMetricDrop must be in [0, 100], got Infinity",
                new Policy(null, null, Double.POSITIVE_INFINITY, null, null, null));
        assertRefused("policy.maxEmptyAnswerRate must be in [0, 1], got NaN",
                new Policy(null, null, null, Double.NaN, null, null));
    }

    @Test
    void blankOverLongAndMultiLineMetricNamesAreRefused() {
        String rule = "policy.taskMetric must be a metric name (1 to 64 letters, digits, '_', '-' or '.'), got ";
        assertRefused(rule + "''", new Policy(null, "", 0.0, null, null, null));
        assertRefused(rule + "'  '", new Policy(null, "  ", 0.0, null, null, null));
        assertRefused(rule + "'token F1'", new Policy(null, "token F1", 0.0, null, null, null));
        assertRefused(rule + "'f1\npass'", new Policy(null, "f1\npass", 0.0, null, null, null));
        assertRefused(rule + "65 characters", new Policy(null, "x".repeat(65), 0.0, null, null, null));
    }

    @Test
    void theFirstBadFieldIsNamed() {
        assertRefused("policy.minPerplexityImprovement must be in [-1, 1), got 2.0",
                new Policy(2.0, "", -1.0, null, null, null));
    }

    static void assertRefused(String message, Policy policy) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, policy::validate).getMessage());
    }
}
