package dev.anvil.eval.verdict;

/**
 * One promotion rule: a threshold of the {@link Policy} (null turns the rule off) and the check of a candidate
 * against it. Implementations are stateless.
 */
interface Rule {

    /**
     * Slack of the threshold comparisons. Thresholds are written in decimal and measures are differences of binary
     * doubles, so a drop of exactly 0.1 computes as 0.10000000000000009; without slack "equal to the threshold
     * passes" would hold only by luck. Far below any difference a metric can meaningfully show.
     */
    double SLACK = 1e-9;

    /** The rule's stable key in outcomes. */
    String name();

    /** This rule's threshold in the policy; null when the policy turns the rule off. */
    Double threshold(Policy policy);

    /** The candidate's outcome under the rule, which the policy enables with this threshold. */
    RuleOutcome judge(Policy policy, double threshold, Evidence evidence);

    static boolean atMost(double measured, double max) {
        return measured <= max + SLACK;
    }

    static boolean atLeast(double measured, double min) {
        return measured >= min - SLACK;
    }
}
