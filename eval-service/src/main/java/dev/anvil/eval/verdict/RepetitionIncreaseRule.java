package dev.anvil.eval.verdict;

import dev.anvil.eval.metric.DegenerateAnswers;

import java.util.Optional;

import static dev.anvil.eval.verdict.ReasonFormat.movement;
import static dev.anvil.eval.verdict.ReasonFormat.percent;
import static dev.anvil.eval.verdict.ReasonFormat.points;

/**
 * Rule {@code repetitionIncrease}: the candidate's {@value DegenerateAnswers#REPETITION_RATE} exceeds the baseline's
 * by at most {@link Policy#maxRepetitionIncrease}. For tasks whose answers repeat by nature (lists, code, tables),
 * where the base's own rate is the fair reference and a fixed cap is not.
 */
final class RepetitionIncreaseRule implements Rule {

    static final String NAME = "repetitionIncrease";
    static final String METRIC = DegenerateAnswers.REPETITION_RATE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Double threshold(Policy policy) {
        return policy.maxRepetitionIncrease();
    }

    @Override
    public RuleOutcome judge(Policy policy, double threshold, Evidence evidence) {
        Optional<String> problem = evidence.problem(METRIC, true);
        if (problem.isPresent()) return RuleOutcome.unmeasured(NAME, threshold, problem.get());
        double candidate = evidence.candidate(METRIC);
        double baseline = evidence.baseline(METRIC);
        double increase = candidate - baseline;
        String finding = "candidate repeats " + percent(candidate) + " of its 4-grams vs baseline " + percent(baseline)
                + ", " + movement(increase, ReasonFormat::points, "more", "less")
                + "; needs <= " + points(threshold) + " more";
        return RuleOutcome.of(NAME, Rule.atMost(increase, threshold), increase, threshold, finding);
    }
}
