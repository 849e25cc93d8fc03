package dev.anvil.eval.verdict;

import java.util.Optional;

import static dev.anvil.eval.verdict.ReasonFormat.movement;
import static dev.anvil.eval.verdict.ReasonFormat.number;

/**
 * Rule {@code taskMetric}: the candidate's score on the task ({@link Policy#taskMetricOrDefault()}, e.g. token F1 or
 * accuracy) is at most {@link Policy#maxTaskMetricDrop} below the baseline's, in the metric's own units. An absolute
 * drop, since the task metrics have fixed scales (0..1, or 0..100 for BLEU and chrF).
 */
final class TaskMetricRule implements Rule {

    static final String NAME = "taskMetric";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Double threshold(Policy policy) {
        return policy.maxTaskMetricDrop();
    }

    @Override
    public RuleOutcome judge(Policy policy, double threshold, Evidence evidence) {
        String metric = policy.taskMetricOrDefault();
        Optional<String> problem = evidence.problem(metric, true);
        if (problem.isPresent()) return RuleOutcome.unmeasured(NAME, threshold, problem.get());
        double candidate = evidence.candidate(metric);
        double baseline = evidence.baseline(metric);
        double drop = baseline - candidate;
        String finding = metric + " " + number(candidate) + " vs baseline " + number(baseline) + ", "
                + movement(drop, ReasonFormat::number, "lower", "higher") + "; "
                + (threshold == 0 ? "must not fall" : "may fall at most " + number(threshold));
        return RuleOutcome.of(NAME, Rule.atMost(drop, threshold), drop, threshold, finding);
    }
}
