package dev.anvil.eval.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU as sacreBLEU 2.x reports it by default, 0..100: {@link Tokenizer13a 13a} tokens, case kept, n-grams up to 4,
 * the brevity penalty against the reference closest in length, and sacreBLEU's default {@code exp} smoothing (an
 * order with no match gets precision {@code 1 / (2^k * total)}, k counting such orders). Corpus BLEU sums the
 * statistics of all pairs first and does not use effective order, so a corpus whose predictions are all shorter than
 * four tokens scores 0, as in sacreBLEU. Sentence BLEU is sacreBLEU's {@code sentence_bleu}: the same, with
 * effective order (the mean runs over the orders the prediction has n-grams of).
 *
 * <p>Edge cases, as sacreBLEU: no matching unigram at all (an empty prediction included) scores 0; an empty reference
 * gives no matches and scores 0; an empty corpus scores 0.
 */
public final class Bleu implements GenerationMetric {

    public static final String NAME = "bleu";
    static final int MAX_ORDER = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double corpus(List<String> predictions, List<String> references) {
        GenerationMetric.requireAligned(predictions, references);
        return corpusWithReferenceSets(predictions, references.stream().map(List::of).toList());
    }

    /**
     * Corpus BLEU with several references per prediction, as sacreBLEU scores reference streams: n-gram counts are
     * clipped by their highest count in any one reference, and the reference length is the one closest to the
     * prediction's (the shorter on ties).
     *
     * @param references per prediction, its references (at least one)
     */
    public double corpusWithReferenceSets(List<String> predictions, List<List<String>> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + references.size()
                    + " reference sets");
        }
        BleuStatistics sum = BleuStatistics.empty(MAX_ORDER);
        for (int i = 0; i < predictions.size(); i++) sum = sum.plus(statistics(predictions.get(i), references.get(i)));
        return score(sum, false);
    }

    @Override
    public double sentence(String prediction, String reference) {
        return score(statistics(prediction, List.of(reference)), true);
    }

    /** One prediction's statistics against its references. */
    static BleuStatistics statistics(String prediction, List<String> references) {
        if (references.isEmpty()) throw new IllegalArgumentException("a prediction needs at least one reference");
        List<String> hypothesis = tokens(prediction);
        List<Map<List<String>, Integer>> referenceCounts = new ArrayList<>();
        for (int n = 1; n <= MAX_ORDER; n++) referenceCounts.add(new HashMap<>());
        int closestLength = -1;
        for (String reference : references) {
            List<String> ref = tokens(reference);
            closestLength = closer(hypothesis.size(), closestLength, ref.size());
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<List<String>, Integer> highest = referenceCounts.get(n - 1);
                NGrams.count(ref, n).forEach((ngram, count) -> highest.merge(ngram, count, Math::max));
            }
        }
        int[] matches = new int[MAX_ORDER];
        int[] totals = new int[MAX_ORDER];
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<List<String>, Integer> counts = NGrams.count(hypothesis, n);
            matches[n - 1] = NGrams.clippedMatches(counts, referenceCounts.get(n - 1));
            totals[n - 1] = NGrams.total(counts);
        }
        return new BleuStatistics(hypothesis.size(), closestLength, matches, totals);
    }

    /**
     * BLEU of summed statistics, 0..100.
     *
     * @param effectiveOrder average over the orders with n-grams only (sentence BLEU), instead of all four
     */
    static double score(BleuStatistics stats, boolean effectiveOrder) {
        int[] matches = stats.matches();
        int[] totals = stats.totals();
        boolean anyMatch = false;
        for (int m : matches) anyMatch |= m > 0;
        if (!anyMatch) return 0.0;

        double logPrecisions = 0;
        int orders = 0;
        double unmatchedOrders = 1;
        for (int n = 0; n < MAX_ORDER && totals[n] > 0; n++) {
            double precision;
            if (matches[n] > 0) {
                precision = (double) matches[n] / totals[n];
            } else {
                unmatchedOrders *= 2;
                precision = 1.0 / (unmatchedOrders * totals[n]);
            }
            logPrecisions += Math.log(precision);
            orders++;
        }
        // Without effective order an order with no n-grams at all has precision 0, and so has the geometric mean.
        if (!effectiveOrder && orders < MAX_ORDER) return 0.0;
        return 100 * brevityPenalty(stats) * Math.exp(logPrecisions / orders);
    }

    private static double brevityPenalty(BleuStatistics stats) {
        int hyp = stats.hypothesisLength();
        int ref = stats.referenceLength();
        if (hyp >= ref) return 1.0;
        return hyp > 0 ? Math.exp(1 - (double) ref / hyp) : 0.0;
    }

    /** Of two reference lengths, the one closer to the hypothesis length; the shorter on ties (-1: none yet). */
    private static int closer(int hypothesisLength, int current, int candidate) {
        if (current < 0) return candidate;
        int dCurrent = Math.abs(current - hypothesisLength);
        int dCandidate = Math.abs(candidate - hypothesisLength);
        if (dCandidate < dCurrent || (dCandidate == dCurrent && candidate < current)) return candidate;
        return current;
    }

    /** sacreBLEU strips trailing whitespace before tokenising (which matters for a trailing "-\n"). */
    private static List<String> tokens(String text) {
        return Tokenizer13a.tokenize(Whitespace.stripTrailing(text));
    }
}
