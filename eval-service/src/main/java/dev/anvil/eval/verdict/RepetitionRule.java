package dev.anvil.eval.verdict;

import dev.anvil.eval.metric.DegenerateAnswers;

import java.util.Optional;

import static dev.anvil.eval.verdict.ReasonFormat.percent;

/**
 * Rule {@code repetition}: the candidate's fraction of repeated word 4-grams
 * ({@value DegenerateAnswers#REPETITION_RATE}) is at most {@link Policy#maxRepetitionRate}; it catches a fine-tune
 * that started looping.
 */
final class RepetitionRule implements Rule {

    static final String NAME = "repetition";
    static final String METRIC = DegenerateAnswers.REPETITION_RATE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Double threshold(Policy policy) {
        return policy.maxRepetitionRate();
    }

    @Override
    public RuleOutcome judge(Policy policy, double threshold, Evidence evidence) {
        Optional<String> problem = evidence.problem(METRIC, false);
        if (problem.isPresent()) return RuleOutcome.unmeasured(NAME, threshold, problem.get());
        double rate = evidence.candidate(METRIC);
        String finding = "candidate repeats " + percent(rate) + " of its 4-grams; needs <= " + percent(threshold);
        return RuleOutcome.of(NAME, Rule.atMost(rate, threshold), rate, threshold, finding);
    }
}
