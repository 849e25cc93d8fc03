package dev.anvil.eval.metric;

import java.util.Arrays;

/**
 * The sufficient statistics of BLEU, summed over a corpus before any score is taken (which is why corpus BLEU is not
 * the mean of sentence BLEU).
 *
 * @param hypothesisLength tokens of the predictions
 * @param referenceLength  tokens of the references (per prediction, the reference closest in length)
 * @param matches          {@code matches[n - 1]}: the prediction n-grams found in a reference, clipped
 * @param totals           {@code totals[n - 1]}: the prediction n-grams
 */
record BleuStatistics(int hypothesisLength, int referenceLength, int[] matches, int[] totals) {

    BleuStatistics {
        matches = matches.clone();
        totals = totals.clone();
    }

    static BleuStatistics empty(int maxOrder) {
        return new BleuStatistics(0, 0, new int[maxOrder], new int[maxOrder]);
    }

    BleuStatistics plus(BleuStatistics other) {
        int[] m = matches.clone();
        int[] t = totals.clone();
        for (int n = 0; n < m.length; n++) {
            m[n] += other.matches[n];
            t[n] += other.totals[n];
        }
        return new BleuStatistics(hypothesisLength + other.hypothesisLength, referenceLength + other.referenceLength,
                m, t);
    }

    @Override
    public int[] matches() {
        return matches.clone();
    }

    @Override
    public int[] totals() {
        return totals.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuStatistics s && hypothesisLength == s.hypothesisLength
                && referenceLength == s.referenceLength && Arrays.equals(matches, s.matches)
                && Arrays.equals(totals, s.totals);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * hypothesisLength + referenceLength) + 31 * Arrays.hashCode(matches)
                + Arrays.hashCode(totals);
    }

    @Override
    public String toString() {
        return "BleuStatistics[hyp=" + hypothesisLength + ", ref=" + referenceLength + ", matches="
                + Arrays.toString(matches) + ", totals=" + Arrays.toString(totals) + "]";
    }
}
