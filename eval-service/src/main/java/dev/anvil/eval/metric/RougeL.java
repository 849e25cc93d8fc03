package dev.anvil.eval.metric;

import java.util.List;

/**
 * ROUGE-L F-measure as Google's rouge_score computes {@code rougeL} (not {@code rougeLsum}): the F1 of the longest
 * common subsequence of the {@link RougeTokenizer} tokens of the whole texts, newlines being plain separators; 0 when
 * either side has no token. Corpus score: the mean of the per-example F-measures, 0..1.
 *
 * <p>The LCS takes time proportional to the product of the two token counts (about 4 million steps for two 2,000-token
 * texts) and memory proportional to the shorter one.
 */
public final class RougeL extends MeanOfExampleScores {

    public static final String NAME = "rougeL";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double sentence(String prediction, String reference) {
        List<String> predicted = RougeTokenizer.tokenize(prediction);
        List<String> expected = RougeTokenizer.tokenize(reference);
        if (predicted.isEmpty() || expected.isEmpty()) return 0.0;
        int lcs = longestCommonSubsequence(predicted, expected);
        return FScore.f1((double) lcs / predicted.size(), (double) lcs / expected.size());
    }

    /** The classic dynamic programme, keeping one row (over the shorter list) at a time. */
    static int longestCommonSubsequence(List<String> a, List<String> b) {
        List<String> outer = a.size() >= b.size() ? a : b;
        List<String> inner = outer == a ? b : a;
        int[] row = new int[inner.size() + 1];
        for (String x : outer) {
            int diagonal = 0; // row[j - 1] of the previous outer step
            for (int j = 1; j <= inner.size(); j++) {
                int above = row[j];
                row[j] = x.equals(inner.get(j - 1)) ? diagonal + 1 : Math.max(above, row[j - 1]);
                diagonal = above;
            }
        }
        return row[inner.size()];
    }
}
