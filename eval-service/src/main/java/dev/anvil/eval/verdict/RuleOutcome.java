package dev.anvil.eval.verdict;

import java.util.Objects;

/**
 * How a candidate fared under one rule.
 *
 * @param rule      the rule's stable key: {@code perplexity}, {@code taskMetric}, {@code emptyAnswers},
 *                  {@code repetition} or {@code repetitionIncrease}
 * @param passed    whether the candidate is within the threshold
 * @param measured  the quantity compared with the threshold, in the threshold's units (the relative perplexity
 *                  improvement, the task metric's drop, the candidate's rate, the rate's increase); null when the
 *                  evidence was missing or not a number
 * @param threshold the policy's threshold
 * @param reason    one line naming the rule, the measured values of both sides where the rule compares them, the
 *                  threshold and the outcome, e.g.
 *                  {@code perplexity: 3.21 vs baseline 3.66, 12.3% lower; needs >= 2% lower: pass}
 */
public record RuleOutcome(String rule, boolean passed, Double measured, double threshold, String reason) {

    public RuleOutcome {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    /** An outcome whose reason is {@code "<rule>: <finding>: pass|fail"}, the shape every rule's line has. */
    static RuleOutcome of(String rule, boolean passed, Double measured, double threshold, String finding) {
        return new RuleOutcome(rule, passed, measured, threshold,
                rule + ": " + finding + ": " + (passed ? "pass" : "fail"));
    }

    /** The failure of a rule that had nothing sound to measure: a verdict never passes on missing evidence. */
    static RuleOutcome unmeasured(String rule, double threshold, String problem) {
        return of(rule, false, null, threshold, problem);
    }
}
