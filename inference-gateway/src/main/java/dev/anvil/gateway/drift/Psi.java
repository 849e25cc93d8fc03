package dev.anvil.gateway.drift;

import java.util.Arrays;

/**
 * The population stability index of a numeric feature: {@code sum over bins of (live - ref) * ln(live / ref)},
 * where {@code ref} and {@code live} are the shares of each sample in a bin.
 * <p>
 * Binning: the bins are fixed by the reference sample alone, at its {@code k / bins} quantiles for
 * {@code k = 1 .. bins - 1} (linear interpolation between order statistics, numpy's default {@code np.quantile});
 * equal edges, which ties in a discrete feature such as a token count produce, are kept once, so there may be fewer
 * bins. A value falls into the bin whose lower edge is the largest edge at or below it ({@code [lower, upper)}); the
 * first bin is open below and the last open above, so live values beyond the reference's range still count. When
 * the last edge is the reference's largest value (its top decile is one value, as a share that is mostly 0), one
 * more edge just above it gives the values beyond the reference a bin of their own, which would else share that
 * value's bin and go unseen.
 * <p>
 * Empty bins: a share below {@link #EPSILON} is taken as {@link #EPSILON} (without renormalizing), so that an empty
 * bin adds a large but finite term instead of an infinite one.
 */
public final class Psi {
    public static final int DEFAULT_BINS = 10;
    public static final double EPSILON = 1e-4;

    private final double[] edges;
    private final double[] referenceShares;

    private Psi(double[] edges, double[] referenceShares) {
        this.edges = edges;
        this.referenceShares = referenceShares;
    }

    /** Bins fixed at the reference's deciles. */
    public static Psi ofReference(double[] reference) {
        return ofReference(reference, DEFAULT_BINS);
    }

    public static Psi ofReference(double[] reference, int bins) {
        if (reference.length == 0) throw new IllegalArgumentException("an empty reference sample");
        if (bins < 2) throw new IllegalArgumentException("bins must be at least 2, not " + bins);
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        int distinct = 0;
        for (int k = 1; k < bins; k++) {
            double edge = quantile(sorted, (double) k / bins);
            if (distinct == 0 || edge != edges[distinct - 1]) edges[distinct++] = edge;
        }
        double largest = sorted[sorted.length - 1];
        double[] kept = Arrays.copyOf(edges, distinct + 1);
        if (kept[distinct - 1] == largest) kept[distinct++] = Math.nextUp(largest);
        kept = Arrays.copyOf(kept, distinct);
        return new Psi(kept, shares(kept, reference));
    }

    /** The inner bin edges, ascending and distinct: {@code edges().length + 1} bins. */
    public double[] edges() {
        return edges.clone();
    }

    /** The share of {@code sample} in each bin, each at least {@link #EPSILON}. */
    public double[] sharesOf(double[] sample) {
        return shares(edges, sample);
    }

    /** The index of {@code live} against the reference these bins were made from; 0 when they are alike. */
    public double indexOf(double[] live) {
        if (live.length == 0) throw new IllegalArgumentException("an empty live sample");
        double[] liveShares = sharesOf(live);
        double sum = 0;
        for (int i = 0; i < liveShares.length; i++) {
            sum += (liveShares[i] - referenceShares[i]) * Math.log(liveShares[i] / referenceShares[i]);
        }
        return sum;
    }

    /** Linear interpolation between the order statistics around {@code q * (n - 1)}. */
    static double quantile(double[] sorted, double q) {
        double h = q * (sorted.length - 1);
        int lower = (int) Math.floor(h);
        if (lower >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[lower] + (h - lower) * (sorted[lower + 1] - sorted[lower]);
    }

    private static double[] shares(double[] edges, double[] sample) {
        long[] counts = new long[edges.length + 1];
        for (double value : sample) counts[binOf(edges, value)]++;
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) shares[i] = Math.max((double) counts[i] / sample.length, EPSILON);
        return shares;
    }

    /** How many edges lie at or below {@code value}. */
    private static int binOf(double[] edges, double value) {
        int low = 0;
        int high = edges.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (edges[mid] <= value) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
