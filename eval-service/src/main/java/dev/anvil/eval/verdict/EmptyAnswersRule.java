package dev.anvil.eval.verdict;

import dev.anvil.eval.metric.DegenerateAnswers;

import java.util.Optional;

import static dev.anvil.eval.verdict.ReasonFormat.percent;

/**
 * Rule {@code emptyAnswers}: the candidate's fraction of empty answers ({@value DegenerateAnswers#EMPTY_ANSWER_RATE})
 * is at most {@link Policy#maxEmptyAnswerRate}. The candidate's alone: an answer-less model is unfit whatever its
 * base did.
 */
final class EmptyAnswersRule implements Rule {

    static final String NAME = "emptyAnswers";
    static final String METRIC = DegenerateAnswers.EMPTY_ANSWER_RATE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Double threshold(Policy policy) {
        return policy.maxEmptyAnswerRate();
    }

    @Override
    public RuleOutcome judge(Policy policy, double threshold, Evidence evidence) {
        Optional<String> problem = evidence.problem(METRIC, false);
        if (problem.isPresent()) return RuleOutcome.unmeasured(NAME, threshold, problem.get());
        double rate = evidence.candidate(METRIC);
        String finding = percent(rate) + " of the candidate's answers are empty; needs <= " + percent(threshold);
        return RuleOutcome.of(NAME, Rule.atMost(rate, threshold), rate, threshold, finding);
    }
}
