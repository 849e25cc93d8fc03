package dev.anvil.eval.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a candidate may be promoted over its baseline: applies every rule its {@link Policy} enables, in a
 * fixed order ({@code perplexity}, {@code taskMetric}, {@code emptyAnswers}, {@code repetition},
 * {@code repetitionIncrease}), to the two sides' metric maps. Stateless and thread-safe.
 */
public final class Judge {

    private static final List<Rule> RULES = List.of(new PerplexityRule(), new TaskMetricRule(),
            new EmptyAnswersRule(), new RepetitionRule(), new RepetitionIncreaseRule());

    /**
     * The decision: PASS when at least one rule is enabled and every enabled rule passes. A rule whose metric is
     * missing from a map it reads (e.g. generation was off), or is NaN or infinite, fails with a reason saying so: a
     * verdict never passes on missing evidence. With no rule enabled the verdict is FAIL, reason
     * {@value Decision#NO_RULE_ENABLED}.
     *
     * @param candidate the candidate's metrics, e.g. {@code perplexity}, {@code tokenF1}, {@code emptyAnswerRate}
     * @param baseline  the baseline's metrics, under the same names
     * @throws IllegalArgumentException when the policy is not {@link Policy#validate() valid}
     */
    public Decision decide(Policy policy, Map<String, Double> candidate, Map<String, Double> baseline) {
        policy.validate();
        Evidence evidence = new Evidence(candidate, baseline);
        List<RuleOutcome> outcomes = new ArrayList<>();
        for (Rule rule : RULES) {
            Double threshold = rule.threshold(policy);
            if (threshold != null) outcomes.add(rule.judge(policy, threshold, evidence));
        }
        return Decision.of(outcomes);
    }
}
