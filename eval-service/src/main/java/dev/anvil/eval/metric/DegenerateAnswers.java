package dev.anvil.eval.metric;

import java.util.List;
import java.util.Map;

/**
 * How degenerate a model's answers are, without looking at the references: how many are empty and how much they
 * repeat themselves. A fine-tune can raise the overlap metrics while starting to answer nothing or to loop, so the
 * verdict checks these on their own. Both are fractions, 0..1; an empty list scores 0 (the caller leaves the keys out
 * of its metrics when nothing was generated, so that a verdict does not pass on no answers).
 */
public final class DegenerateAnswers {

    /** The key of {@link #emptyAnswerRate} in result maps. */
    public static final String EMPTY_ANSWER_RATE = "emptyAnswerRate";
    /** The key of {@link #repetitionRate} in result maps. */
    public static final String REPETITION_RATE = "repetitionRate";

    /** The n of the repeated n-grams: 4, as in the usual "rep-4" measure. */
    static final int REPEATED_NGRAM = 4;

    private DegenerateAnswers() {
    }

    /**
     * The fraction of answers that are empty once trimmed (whitespace as {@link Whitespace} sees it, so an answer of
     * no-break spaces is empty too).
     */
    public static double emptyAnswerRate(List<String> predictions) {
        if (predictions.isEmpty()) return 0.0;
        int empty = 0;
        for (String p : predictions) if (Whitespace.split(p).isEmpty()) empty++;
        return (double) empty / predictions.size();
    }

    /**
     * The mean over answers of {@link #repetitionRate(String)}: the "rep-4" degeneration measure of Welleck et al.
     * (Neural Text Generation with Unlikelihood Training, 2019), taken per answer and then averaged, so that one long
     * looping answer weighs as much as one short answer.
     */
    public static double repetitionRate(List<String> predictions) {
        if (predictions.isEmpty()) return 0.0;
        double sum = 0;
        for (String p : predictions) sum += repetitionRate(p);
        return sum / predictions.size();
    }

    /**
     * Of one answer's word 4-grams (windows of 4 consecutive whitespace tokens, case and punctuation kept), the
     * fraction that repeat an earlier 4-gram of the same answer: {@code 1 - distinct / total}. 0 for an answer with
     * fewer than 4 tokens; {@code "the the the the the"} has 2 4-grams, the second repeating the first: 1/2.
     */
    static double repetitionRate(String prediction) {
        Map<List<String>, Integer> counts = NGrams.count(Whitespace.split(prediction), REPEATED_NGRAM);
        int total = NGrams.total(counts);
        if (total == 0) return 0.0;
        return (double) (total - counts.size()) / total;
    }
}
