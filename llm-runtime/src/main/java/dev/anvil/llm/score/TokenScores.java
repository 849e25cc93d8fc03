package dev.anvil.llm.score;

import java.util.Arrays;

/**
 * The negative log-likelihood (natural log) of each token of a sequence given the tokens before it.
 *
 * @param ids the scored sequence
 * @param nll {@code nll[i]} is the NLL of {@code ids[i + 1]} (the first token has no prediction); length
 *     {@code ids.length - 1}
 * @param counted which entries of {@code nll} count towards the sums and means (e.g. only a continuation's tokens)
 */
public record TokenScores(long[] ids, double[] nll, boolean[] counted) {

    public TokenScores {
        if (nll.length != ids.length - 1 || counted.length != nll.length) {
            throw new IllegalArgumentException("nll and counted must have ids.length - 1 = " + (ids.length - 1)
                    + " entries, got " + nll.length + " and " + counted.length);
        }
        ids = ids.clone();
        nll = nll.clone();
        counted = counted.clone();
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public double[] nll() {
        return nll.clone();
    }

    @Override
    public boolean[] counted() {
        return counted.clone();
    }

    public int countedTokens() {
        int n = 0;
        for (boolean c : counted) if (c) n++;
        return n;
    }

    public double sumNll() {
        double sum = 0;
        for (int i = 0; i < nll.length; i++) if (counted[i]) sum += nll[i];
        return sum;
    }

    /** Log-likelihood of the counted tokens: {@code -sumNll()}. */
    public double logLikelihood() {
        return -sumNll();
    }

    /** Mean NLL per counted token; NaN when nothing counts. */
    public double meanNll() {
        int n = countedTokens();
        return n == 0 ? Double.NaN : sumNll() / n;
    }

    public double perplexity() {
        return Math.exp(meanNll());
    }

    @Override
    public String toString() {
        return "TokenScores[" + ids.length + " ids, " + countedTokens() + " counted, meanNll=" + meanNll() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenScores t && Arrays.equals(ids, t.ids) && Arrays.equals(nll, t.nll)
                && Arrays.equals(counted, t.counted);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(nll);
    }
}
