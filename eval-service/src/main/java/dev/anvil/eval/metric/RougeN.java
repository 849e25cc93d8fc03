package dev.anvil.eval.metric;

import java.util.List;
import java.util.Map;

/**
 * ROUGE-N F-measure as Google's rouge_score computes it ({@code rouge1}, {@code rouge2}): the F1 of the clipped
 * n-gram overlap between {@link RougeTokenizer} tokens; 0 when either side has no n-gram. Corpus score: the mean of
 * the per-example F-measures (rouge_score's BootstrapAggregator estimates that mean by resampling), 0..1.
 */
public final class RougeN extends MeanOfExampleScores {

    private final int n;

    /** @param n the n-gram order, at least 1 */
    public RougeN(int n) {
        if (n < 1) throw new IllegalArgumentException("ROUGE-N needs n >= 1, got " + n);
        this.n = n;
    }

    /** {@code "rouge1"}, {@code "rouge2"}, ... */
    @Override
    public String name() {
        return "rouge" + n;
    }

    @Override
    public double sentence(String prediction, String reference) {
        Map<List<String>, Integer> predicted = NGrams.count(RougeTokenizer.tokenize(prediction), n);
        Map<List<String>, Integer> expected = NGrams.count(RougeTokenizer.tokenize(reference), n);
        int overlap = NGrams.clippedMatches(predicted, expected);
        // rouge_score divides by max(count, 1), so an empty side gives 0 rather than NaN.
        double precision = (double) overlap / Math.max(NGrams.total(predicted), 1);
        double recall = (double) overlap / Math.max(NGrams.total(expected), 1);
        return FScore.f1(precision, recall);
    }
}
