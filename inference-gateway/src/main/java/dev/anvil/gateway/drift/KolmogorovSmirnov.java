package dev.anvil.gateway.drift;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The two-sample Kolmogorov-Smirnov test (Apache Commons Math): D, the largest distance between the two samples'
 * empirical distribution functions, and the two-sided p-value of D under the hypothesis that both samples come from
 * one distribution.
 * <p>
 * The p-value is exact, {@code P(D >= d)}, while the product of the sample sizes is below
 * {@value #EXACT_BELOW} (as Commons Math decides), and otherwise the asymptotic Kolmogorov distribution at
 * {@code d * sqrt(m n / (m + n))}. Ties (token counts are integers) are not jittered, as Commons Math's
 * {@code kolmogorovSmirnovTest(x, y)} would do with random noise: D is computed with the ties and its p-value taken
 * from the distribution without ties, which is what scipy's {@code ks_2samp(method='exact')} reports too, and keeps
 * the result repeatable.
 */
public final class KolmogorovSmirnov {
    /** Commons Math's {@code LARGE_SAMPLE_PRODUCT}: exact p-values below this product of the sample sizes. */
    public static final long EXACT_BELOW = 10_000;
    /**
     * Shared: the methods called here keep no state (the test's random generator serves only the jittering and
     * Monte Carlo methods, not called), so one instance serves every thread.
     */
    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

    private KolmogorovSmirnov() {
    }

    /** {@code exact}: whether the p-value is the exact one (small samples) rather than the asymptotic one. */
    public record Result(double d, double pValue, boolean exact) {
    }

    public static Result test(double[] reference, double[] live) {
        if (reference.length == 0 || live.length == 0) throw new IllegalArgumentException("an empty sample");
        double d = KS.kolmogorovSmirnovStatistic(reference, live);
        boolean exact = (long) reference.length * live.length < EXACT_BELOW;
        double p = exact ? KS.exactP(d, reference.length, live.length, false)
                : KS.approximateP(d, reference.length, live.length);
        return new Result(d, Math.min(1, Math.max(0, p)), exact);
    }
}
