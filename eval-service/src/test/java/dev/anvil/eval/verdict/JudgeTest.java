package dev.anvil.eval.verdict;

import dev.anvil.events.evaluation.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Judge}: each rule's pass and fail with its exact reason, boundaries, missing evidence, the verdict. */
class JudgeTest {

    static final double TOLERANCE = 1e-12;
    final Judge judge = new Judge();

    static Policy perplexity(double minImprovement) {
        return new Policy(minImprovement, null, null, null, null, null);
    }

    static Policy taskMetric(String metric, double maxDrop) {
        return new Policy(null, metric, maxDrop, null, null, null);
    }

    static Policy emptyAnswers(double max) {
        return new Policy(null, null, null, max, null, null);
    }

    static Policy repetition(double max) {
        return new Policy(null, null, null, null, max, null);
    }

    static Policy repetitionIncrease(double max) {
        return new Policy(null, null, null, null, null, max);
    }

    /** The decision's only outcome, checked against the verdict it must make. */
    RuleOutcome only(Policy policy, Map<String, Double> candidate, Map<String, Double> baseline) {
        Decision decision = judge.decide(policy, candidate, baseline);
        assertEquals(1, decision.rules().size());
        RuleOutcome outcome = decision.rules().get(0);
        assertEquals(outcome.passed() ? Verdict.PASS : Verdict.FAIL, decision.verdict());
        assertEquals(List.of(outcome.reason()), decision.reasons());
        return outcome;
    }

    @Nested
    class PerplexityRuleTest {

        @Test
        void passesWhenLowerByAtLeastTheFraction() {
            RuleOutcome o = only(perplexity(0.02), Map.of("perplexity", 3.21), Map.of("perplexity", 3.66));
            assertTrue(o.passed());
            assertEquals("perplexity: 3.21 vs baseline 3.66, 12.3% lower; needs >= 2% lower: pass", o.reason());
            assertEquals("perplexity", o.rule());
            assertEquals(0.45 / 3.66, o.measured(), TOLERANCE);
            assertEquals(0.02, o.threshold());
        }

        @Test
        void failsWhenHigher() {
            RuleOutcome o = only(perplexity(0.02), Map.of("perplexity", 3.8), Map.of("perplexity", 3.66));
            assertFalse(o.passed());
            assertEquals("perplexity: 3.8 vs baseline 3.66, 3.825% higher; needs >= 2% lower: fail", o.reason());
        }

        @Test
        void failsWhenLowerByLessThanTheFraction() {
            RuleOutcome o = only(perplexity(0.02), Map.of("perplexity", 98.01), Map.of("perplexity", 100.0));
            assertEquals("perplexity: 98.01 vs baseline 100, 1.99% lower; needs >= 2% lower: fail", o.reason());
        }

        /** (3.5 - 3.43) / 3.5 computes as 0.019999999999999955: equal in decimal, so it passes. */
        @Test
        void anImprovementEqualToTheThresholdPasses() {
            assertEquals("perplexity: 98 vs baseline 100, 2% lower; needs >= 2% lower: pass",
                    only(perplexity(0.02), Map.of("perplexity", 98.0), Map.of("perplexity", 100.0)).reason());
            assertEquals("perplexity: 3.43 vs baseline 3.5, 2% lower; needs >= 2% lower: pass",
                    only(perplexity(0.02), Map.of("perplexity", 3.43), Map.of("perplexity", 3.5)).reason());
        }

        @Test
        void zeroAsksForNotHigher() {
            assertEquals("perplexity: 3.66 vs baseline 3.66, unchanged; needs >= 0% lower: pass",
                    only(perplexity(0), Map.of("perplexity", 3.66), Map.of("perplexity", 3.66)).reason());
        }

        @Test
        void aNegativeThresholdToleratesThatMuchHigher() {
            assertEquals("perplexity: 3.8 vs baseline 3.66, 3.825% higher; needs <= 5% higher: pass",
                    only(perplexity(-0.05), Map.of("perplexity", 3.8), Map.of("perplexity", 3.66)).reason());
            assertEquals("perplexity: 4 vs baseline 3.66, 9.29% higher; needs <= 5% higher: fail",
                    only(perplexity(-0.05), Map.of("perplexity", 4.0), Map.of("perplexity", 3.66)).reason());
        }

        @Test
        void failsWhenNotMeasured() {
            RuleOutcome o = only(perplexity(0.02), Map.of(), Map.of("perplexity", 3.66));
            assertEquals("perplexity: perplexity was not measured for the candidate: fail", o.reason());
            assertNull(o.measured());
            assertEquals("perplexity: perplexity was not measured for the candidate and the baseline: fail",
                    only(perplexity(0.02), Map.of(), Map.of()).reason());
        }

        @Test
        void failsOnNanOrInfinity() {
            assertEquals("perplexity: perplexity of the baseline is NaN: fail",
                    only(perplexity(0.02), Map.of("perplexity", 3.0), Map.of("perplexity", Double.NaN)).reason());
            assertEquals("perplexity: perplexity of the candidate is Infinity: fail", only(perplexity(-0.5),
                    Map.of("perplexity", Double.POSITIVE_INFINITY), Map.of("perplexity", 3.0)).reason());
            assertEquals("perplexity: perplexity was not measured for the baseline; "
                            + "perplexity of the candidate is NaN: fail",
                    only(perplexity(0.02), Map.of("perplexity", Double.NaN), Map.of()).reason());
        }

        @Test
        void failsOnANonPositivePerplexity() {
            RuleOutcome o = only(perplexity(0.02), Map.of("perplexity", 3.0), Map.of("perplexity", 0.0));
            assertEquals("perplexity: 3 vs baseline 0; a perplexity must be positive: fail", o.reason());
            assertNull(o.measured());
        }
    }

    @Nested
    class TaskMetricRuleTest {

        @Test
        void passesWhenTheDropIsWithinTheThreshold() {
            RuleOutcome o = only(taskMetric("tokenF1", 0.1), Map.of("tokenF1", 0.75), Map.of("tokenF1", 0.8));
            assertTrue(o.passed());
            assertEquals("taskMetric: tokenF1 0.75 vs baseline 0.8, 0.05 lower; may fall at most 0.1: pass",
                    o.reason());
            assertEquals("taskMetric", o.rule());
            assertEquals(0.05, o.measured(), TOLERANCE);
        }

        @Test
        void failsWhenItFallsFurther() {
            RuleOutcome o = only(taskMetric("tokenF1", 0.1), Map.of("tokenF1", 0.69), Map.of("tokenF1", 0.8));
            assertFalse(o.passed());
            assertEquals("taskMetric: tokenF1 0.69 vs baseline 0.8, 0.11 lower; may fall at most 0.1: fail",
                    o.reason());
        }

        /** 0.8 - 0.7 computes as 0.10000000000000009: equal in decimal, so it passes. */
        @Test
        void aDropEqualToTheThresholdPasses() {
            assertEquals("taskMetric: tokenF1 0.7 vs baseline 0.8, 0.1 lower; may fall at most 0.1: pass",
                    only(taskMetric("tokenF1", 0.1), Map.of("tokenF1", 0.7), Map.of("tokenF1", 0.8)).reason());
        }

        @Test
        void zeroMeansItMustNotFall() {
            assertEquals("taskMetric: tokenF1 0.8 vs baseline 0.8, unchanged; must not fall: pass",
                    only(taskMetric("tokenF1", 0), Map.of("tokenF1", 0.8), Map.of("tokenF1", 0.8)).reason());
            assertEquals("taskMetric: tokenF1 0.85 vs baseline 0.8, 0.05 higher; must not fall: pass",
                    only(taskMetric("tokenF1", 0), Map.of("tokenF1", 0.85), Map.of("tokenF1", 0.8)).reason());
            assertEquals("taskMetric: tokenF1 0.799 vs baseline 0.8, 0.001 lower; must not fall: fail",
                    only(taskMetric("tokenF1", 0), Map.of("tokenF1", 0.799), Map.of("tokenF1", 0.8)).reason());
        }

        @Test
        void theDefaultMetricIsTokenF1() {
            assertEquals("taskMetric: tokenF1 0.6 vs baseline 0.5, 0.1 higher; must not fall: pass",
                    only(taskMetric(null, 0), Map.of("tokenF1", 0.6, "accuracy", 0.1),
                            Map.of("tokenF1", 0.5, "accuracy", 0.9)).reason());
        }

        @Test
        void theDropIsInTheMetricsOwnUnits() {
            assertEquals("taskMetric: bleu 30.5 vs baseline 32, 1.5 lower; may fall at most 2: pass",
                    only(taskMetric("bleu", 2), Map.of("bleu", 30.5), Map.of("bleu", 32.0)).reason());
            assertEquals("taskMetric: accuracy 0.9 vs baseline 0.92, 0.02 lower; may fall at most 0.01: fail",
                    only(taskMetric("accuracy", 0.01), Map.of("accuracy", 0.9), Map.of("accuracy", 0.92)).reason());
        }

        /** Accuracy is only measured when the references are labels; a policy asking for it otherwise fails. */
        @Test
        void failsWhenTheMetricWasNotMeasured() {
            assertEquals("taskMetric: accuracy was not measured for the candidate and the baseline: fail",
                    only(taskMetric("accuracy", 0), Map.of("tokenF1", 0.6), Map.of("tokenF1", 0.5)).reason());
            assertEquals("taskMetric: tokenF1 was not measured for the baseline: fail",
                    only(taskMetric(null, 0), Map.of("tokenF1", 0.6), Map.of()).reason());
        }

        @Test
        void failsOnNan() {
            assertEquals("taskMetric: tokenF1 of the candidate is NaN: fail", only(taskMetric(null, 1),
                    Map.of("tokenF1", Double.NaN), Map.of("tokenF1", 0.5)).reason());
        }
    }

    @Nested
    class EmptyAnswersRuleTest {

        @Test
        void passesAtOrBelowTheMaximum() {
            RuleOutcome o = only(emptyAnswers(0.05), Map.of("emptyAnswerRate", 0.02), Map.of());
            assertTrue(o.passed());
            assertEquals("emptyAnswers: 2% of the candidate's answers are empty; needs <= 5%: pass", o.reason());
            assertEquals(0.02, o.measured());
            assertEquals("emptyAnswers: 5% of the candidate's answers are empty; needs <= 5%: pass",
                    only(emptyAnswers(0.05), Map.of("emptyAnswerRate", 0.05), Map.of()).reason());
            assertEquals("emptyAnswers: 0% of the candidate's answers are empty; needs <= 0%: pass",
                    only(emptyAnswers(0), Map.of("emptyAnswerRate", 0.0), Map.of()).reason());
        }

        @Test
        void failsAboveTheMaximum() {
            RuleOutcome o = only(emptyAnswers(0.05), Map.of("emptyAnswerRate", 0.125),
                    Map.of("emptyAnswerRate", 0.5));
            assertFalse(o.passed());
            assertEquals("emptyAnswers: 12.5% of the candidate's answers are empty; needs <= 5%: fail", o.reason());
        }

        @Test
        void failsWhenNotMeasuredForTheCandidate() {
            assertEquals("emptyAnswers: emptyAnswerRate was not measured for the candidate: fail",
                    only(emptyAnswers(0.05), Map.of(), Map.of("emptyAnswerRate", 0.0)).reason());
            assertEquals("emptyAnswers: emptyAnswerRate of the candidate is NaN: fail",
                    only(emptyAnswers(0.05), Map.of("emptyAnswerRate", Double.NaN), Map.of()).reason());
        }
    }

    @Nested
    class RepetitionRuleTest {

        @Test
        void passesAtOrBelowTheMaximum() {
            assertEquals("repetition: candidate repeats 12.5% of its 4-grams; needs <= 20%: pass",
                    only(repetition(0.2), Map.of("repetitionRate", 0.125), Map.of()).reason());
            assertEquals("repetition: candidate repeats 20% of its 4-grams; needs <= 20%: pass",
                    only(repetition(0.2), Map.of("repetitionRate", 0.2), Map.of()).reason());
        }

        @Test
        void failsAboveTheMaximum() {
            RuleOutcome o = only(repetition(0.2), Map.of("repetitionRate", 0.5), Map.of("repetitionRate", 0.5));
            assertFalse(o.passed());
            assertEquals("repetition: candidate repeats 50% of its 4-grams; needs <= 20%: fail", o.reason());
        }

        @Test
        void failsWhenNotMeasured() {
            assertEquals("repetition: repetitionRate was not measured for the candidate: fail",
                    only(repetition(0.2), Map.of(), Map.of()).reason());
        }
    }

    @Nested
    class RepetitionIncreaseRuleTest {

        @Test
        void passesWhenTheIncreaseIsWithinTheThreshold() {
            assertEquals("repetitionIncrease: candidate repeats 2% of its 4-grams vs baseline 5%, 3 points less; "
                            + "needs <= 5 points more: pass",
                    only(repetitionIncrease(0.05), Map.of("repetitionRate", 0.02), Map.of("repetitionRate", 0.05))
                            .reason());
            // 0.8 - 0.7 computes as 0.10000000000000009
            assertEquals("repetitionIncrease: candidate repeats 80% of its 4-grams vs baseline 70%, 10 points more; "
                            + "needs <= 10 points more: pass",
                    only(repetitionIncrease(0.1), Map.of("repetitionRate", 0.8), Map.of("repetitionRate", 0.7))
                            .reason());
        }

        @Test
        void failsWhenItRisesFurther() {
            RuleOutcome o = only(repetitionIncrease(0.05), Map.of("repetitionRate", 0.125),
                    Map.of("repetitionRate", 0.05));
            assertFalse(o.passed());
            assertEquals("repetitionIncrease: candidate repeats 12.5% of its 4-grams vs baseline 5%, 7.5 points more; "
                    + "needs <= 5 points more: fail", o.reason());
            assertEquals(0.075, o.measured(), TOLERANCE);
        }

        @Test
        void failsWhenTheBaselineWasNotMeasured() {
            assertEquals("repetitionIncrease: repetitionRate was not measured for the baseline: fail",
                    only(repetitionIncrease(0.05), Map.of("repetitionRate", 0.0), Map.of()).reason());
        }
    }

    @Nested
    class VerdictTest {

        static final Policy ALL = new Policy(0.02, "tokenF1", 0.0, 0.05, 0.2, 0.05);

        static Map<String, Double> side(double perplexity, double tokenF1, double empty, double repetition) {
            Map<String, Double> m = new HashMap<>();
            m.put("examples", 200.0);
            m.put("perplexity", perplexity);
            m.put("tokenF1", tokenF1);
            m.put("emptyAnswerRate", empty);
            m.put("repetitionRate", repetition);
            return m;
        }

        @Test
        void passesWhenEveryEnabledRulePasses() {
            Decision d = judge.decide(ALL, side(3.21, 0.8, 0.0, 0.1), side(3.66, 0.7, 0.1, 0.1));
            assertEquals(Verdict.PASS, d.verdict());
            assertEquals(List.of("perplexity", "taskMetric", "emptyAnswers", "repetition", "repetitionIncrease"),
                    d.rules().stream().map(RuleOutcome::rule).toList());
            assertEquals(List.of(
                    "perplexity: 3.21 vs baseline 3.66, 12.3% lower; needs >= 2% lower: pass",
                    "taskMetric: tokenF1 0.8 vs baseline 0.7, 0.1 higher; must not fall: pass",
                    "emptyAnswers: 0% of the candidate's answers are empty; needs <= 5%: pass",
                    "repetition: candidate repeats 10% of its 4-grams; needs <= 20%: pass",
                    "repetitionIncrease: candidate repeats 10% of its 4-grams vs baseline 10%, unchanged; "
                            + "needs <= 5 points more: pass"), d.reasons());
        }

        @Test
        void failsWhenOneRuleFails() {
            Decision d = judge.decide(ALL, side(3.21, 0.8, 0.06, 0.1), side(3.66, 0.7, 0.0, 0.1));
            assertEquals(Verdict.FAIL, d.verdict());
            assertEquals(List.of(true, true, false, true, true),
                    d.rules().stream().map(RuleOutcome::passed).toList());
        }

        /** Generation was off: the perplexity passes, but the rules on generated answers have no evidence. */
        @Test
        void failsWhenAnEnabledRuleHasNoEvidence() {
            Map<String, Double> perplexityOnly = Map.of("perplexity", 3.21);
            Decision d = judge.decide(ALL, perplexityOnly, Map.of("perplexity", 3.66));
            assertEquals(Verdict.FAIL, d.verdict());
            assertEquals(List.of(
                    "perplexity: 3.21 vs baseline 3.66, 12.3% lower; needs >= 2% lower: pass",
                    "taskMetric: tokenF1 was not measured for the candidate and the baseline: fail",
                    "emptyAnswers: emptyAnswerRate was not measured for the candidate: fail",
                    "repetition: repetitionRate was not measured for the candidate: fail",
                    "repetitionIncrease: repetitionRate was not measured for the candidate and the baseline: fail"),
                    d.reasons());
        }

        @Test
        void onlyEnabledRulesAreApplied() {
            Decision d = judge.decide(perplexity(0.02), Map.of("perplexity", 3.21), Map.of("perplexity", 3.66));
            assertEquals(Verdict.PASS, d.verdict());
            assertEquals(List.of("perplexity"), d.rules().stream().map(RuleOutcome::rule).toList());
        }

        @Test
        void failsWhenNoRuleIsEnabled() {
            Decision d = judge.decide(Policy.none(), side(3.21, 0.8, 0.0, 0.1), side(3.66, 0.7, 0.1, 0.1));
            assertEquals(Verdict.FAIL, d.verdict());
            assertTrue(d.rules().isEmpty());
            assertEquals(List.of("no rule is enabled"), d.reasons());
        }

        @Test
        void refusesAnInvalidPolicy() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> judge.decide(perplexity(5.0), Map.of(), Map.of()));
            assertEquals("policy.minPerplexityImprovement must be in [-1, 1), got 5.0", e.getMessage());
        }

        @Test
        void aDecisionsVerdictMustFollowFromItsRules() {
            RuleOutcome failed = RuleOutcome.of("perplexity", false, 0.0, 0.02, "x");
            assertThrows(IllegalArgumentException.class, () -> new Decision(Verdict.PASS, List.of(failed)));
            assertThrows(IllegalArgumentException.class, () -> new Decision(Verdict.PASS, List.of()));
            assertEquals(Verdict.FAIL, new Decision(Verdict.FAIL, List.of(failed)).verdict());
        }
    }
}
