package dev.anvil.eval.verdict;

import java.util.Optional;

import static dev.anvil.eval.verdict.ReasonFormat.movement;
import static dev.anvil.eval.verdict.ReasonFormat.number;
import static dev.anvil.eval.verdict.ReasonFormat.percent;

/**
 * Rule {@code perplexity}: the candidate's perplexity on the validation split is at least
 * {@link Policy#minPerplexityImprovement} lower than the baseline's, relative to the baseline's. Relative, so that
 * one threshold fits models and tokenizers whose perplexities differ in scale.
 */
final class PerplexityRule implements Rule {

    static final String NAME = "perplexity";
    static final String METRIC = "perplexity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Double threshold(Policy policy) {
        return policy.minPerplexityImprovement();
    }

    @Override
    public RuleOutcome judge(Policy policy, double threshold, Evidence evidence) {
        Optional<String> problem = evidence.problem(METRIC, true);
        if (problem.isPresent()) return RuleOutcome.unmeasured(NAME, threshold, problem.get());
        double candidate = evidence.candidate(METRIC);
        double baseline = evidence.baseline(METRIC);
        // A perplexity is at least 1; zero or below is a broken measurement, and would divide by zero.
        if (candidate <= 0 || baseline <= 0) {
            return RuleOutcome.unmeasured(NAME, threshold, number(candidate) + " vs baseline " + number(baseline)
                    + "; a perplexity must be positive");
        }
        double improvement = (baseline - candidate) / baseline;
        String finding = number(candidate) + " vs baseline " + number(baseline) + ", "
                + movement(improvement, ReasonFormat::percent, "lower", "higher")
                + "; needs " + (threshold >= 0 ? ">= " + percent(threshold) + " lower"
                : "<= " + percent(-threshold) + " higher");
        return RuleOutcome.of(NAME, Rule.atLeast(improvement, threshold), improvement, threshold, finding);
    }
}
