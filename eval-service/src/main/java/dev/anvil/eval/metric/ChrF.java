package dev.anvil.eval.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * chrF as sacreBLEU 2.x computes it by default, 0..100: character n-grams of orders 1 to 6 (characters being code
 * points, whitespace removed, case kept), no word n-grams, beta 2. The corpus score sums each order's counts
 * (prediction n-grams, reference n-grams, matches) over all pairs before scoring; the sentence score is the same for
 * one pair ({@code sentence_chrf}).
 *
 * <p>Scoring from the counts follows sacreBLEU's two modes. Default: precision and recall are averaged over the
 * orders where both sides have n-grams, then combined into F-beta (0 when no such order or no match, e.g. an empty
 * prediction or reference, or an empty corpus). With {@code epsilonSmoothing} (the chrF++.py / NLTK variant):
 * F-beta per order, an order without n-grams counting as a tiny epsilon, averaged over all six orders.
 */
public final class ChrF implements GenerationMetric {

    public static final String NAME = "chrF";
    static final int CHAR_ORDER = 6;
    private static final double EPSILON = 1e-16;

    private final double beta;
    private final boolean epsilonSmoothing;

    /** sacreBLEU's defaults: beta 2, no epsilon smoothing. */
    public ChrF() {
        this(2, false);
    }

    /** @param beta how many times recall weighs as much as precision */
    public ChrF(double beta, boolean epsilonSmoothing) {
        if (!(beta > 0)) throw new IllegalArgumentException("beta must be positive, got " + beta);
        this.beta = beta;
        this.epsilonSmoothing = epsilonSmoothing;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double corpus(List<String> predictions, List<String> references) {
        GenerationMetric.requireAligned(predictions, references);
        long[][] sum = new long[CHAR_ORDER][3];
        for (int i = 0; i < predictions.size(); i++) {
            long[][] pair = statistics(predictions.get(i), references.get(i));
            for (int n = 0; n < CHAR_ORDER; n++) {
                for (int k = 0; k < 3; k++) sum[n][k] += pair[n][k];
            }
        }
        return score(sum);
    }

    @Override
    public double sentence(String prediction, String reference) {
        return score(statistics(prediction, reference));
    }

    /** Per order n (index n - 1): {prediction n-grams, reference n-grams, clipped matches}. */
    static long[][] statistics(String prediction, String reference) {
        List<String> predicted = characters(prediction);
        List<String> expected = characters(reference);
        long[][] stats = new long[CHAR_ORDER][];
        for (int n = 1; n <= CHAR_ORDER; n++) {
            Map<List<String>, Integer> p = NGrams.count(predicted, n);
            Map<List<String>, Integer> r = NGrams.count(expected, n);
            stats[n - 1] = new long[] {NGrams.total(p), NGrams.total(r), NGrams.clippedMatches(p, r)};
        }
        return stats;
    }

    private double score(long[][] stats) {
        double sumF = 0;
        double sumPrecision = 0;
        double sumRecall = 0;
        int effectiveOrders = 0;
        for (long[] order : stats) {
            long predicted = order[0];
            long expected = order[1];
            long matches = order[2];
            double precision = predicted > 0 ? (double) matches / predicted : EPSILON;
            double recall = expected > 0 ? (double) matches / expected : EPSILON;
            // sacreBLEU counts epsilon for an order only where F-beta is undefined (0 / 0).
            boolean defined = beta * beta * precision + recall > 0;
            sumF += defined ? FScore.fBeta(precision, recall, beta) : EPSILON;
            if (predicted > 0 && expected > 0) {
                sumPrecision += precision;
                sumRecall += recall;
                effectiveOrders++;
            }
        }
        if (epsilonSmoothing) return 100 * sumF / CHAR_ORDER;
        if (effectiveOrders == 0) return 0.0;
        return 100 * FScore.fBeta(sumPrecision / effectiveOrders, sumRecall / effectiveOrders, beta);
    }

    /** The text's code points without whitespace, each as a one-character token. */
    private static List<String> characters(String text) {
        String s = Whitespace.remove(text);
        List<String> chars = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
        return chars;
    }
}
