package dev.anvil.llm.score;

import java.util.List;

/**
 * Multiple-choice scores: the log-likelihood of each continuation after one shared context, as lm-evaluation-harness
 * reports it ({@code acc} picks the highest sum, {@code acc_norm}-style length-normalised picking uses the mean).
 *
 * @param choices one entry per continuation, in the order given
 */
public record ChoiceScores(List<Choice> choices) {

    /**
     * @param continuationIds the continuation's tokens as scored (after the context's)
     * @param logLikelihood   sum of the continuation tokens' log-probabilities
     * @param meanLogLikelihood the same per token
     */
    public record Choice(long[] continuationIds, double logLikelihood, double meanLogLikelihood) {
    }

    public ChoiceScores {
        if (choices.isEmpty()) throw new IllegalArgumentException("no choices");
        choices = List.copyOf(choices);
    }

    /** Index of the choice with the highest total log-likelihood (the first on ties). */
    public int bestBySum() {
        return argmax(true);
    }

    /** Index of the choice with the highest per-token log-likelihood (the first on ties). */
    public int bestByMean() {
        return argmax(false);
    }

    private int argmax(boolean sum) {
        int best = 0;
        for (int i = 1; i < choices.size(); i++) {
            if (value(i, sum) > value(best, sum)) best = i;
        }
        return best;
    }

    private double value(int i, boolean sum) {
        return sum ? choices.get(i).logLikelihood() : choices.get(i).meanLogLikelihood();
    }
}
