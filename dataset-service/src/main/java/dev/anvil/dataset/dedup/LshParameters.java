package dev.anvil.dataset.dedup;

/**
 * Bands and rows of the LSH index for a Jaccard threshold. Two records become candidates when all {@code rows}
 * values of at least one band agree, with probability {@code 1 - (1 - s^rows)^bands} at similarity {@code s}: an
 * S-curve whose steep part sits near {@code (1/bands)^(1/rows)}.
 *
 * <p>The choice minimises the weighted area of false positives below the threshold and of false negatives above it
 * (as the {@code datasketch} library does), with misses weighted more: a false positive only costs one verification
 * of the estimated similarity, a miss lets a near duplicate through. The number of bands is capped because each band
 * costs one index entry per kept record.
 */
public record LshParameters(int bands, int rows) {
    static final double FALSE_POSITIVE_WEIGHT = 0.3;
    static final double FALSE_NEGATIVE_WEIGHT = 0.7;
    static final int MAX_BANDS = 16;

    public static LshParameters forThreshold(double threshold, int signatureSize) {
        LshParameters best = null;
        double bestError = Double.MAX_VALUE;
        for (int bands = 1; bands <= Math.min(MAX_BANDS, signatureSize); bands++) {
            for (int rows = 1; rows * bands <= signatureSize; rows++) {
                double error = FALSE_POSITIVE_WEIGHT * area(bands, rows, 0, threshold, false)
                        + FALSE_NEGATIVE_WEIGHT * area(bands, rows, threshold, 1, true);
                if (error < bestError) {
                    bestError = error;
                    best = new LshParameters(bands, rows);
                }
            }
        }
        return best;
    }

    /** Probability that a pair with Jaccard similarity {@code s} becomes a candidate. */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** Where the S-curve is steepest, roughly. */
    public double curveThreshold() {
        return Math.pow(1.0 / bands, 1.0 / rows);
    }

    private static double area(int bands, int rows, double from, double to, boolean misses) {
        LshParameters p = new LshParameters(bands, rows);
        int steps = 200;
        double width = (to - from) / steps;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            double probability = p.candidateProbability(from + (i + 0.5) * width);
            sum += (misses ? 1 - probability : probability) * width;
        }
        return sum;
    }
}
