package dev.anvil.dataset.dedup;

/**
 * Bands and rows of the LSH index for a Jaccard threshold. Two records become candidates when all {@code rows}
 * values of at least one band agree, with probability {@code 1 - (1 - s^rows)^bands} at similarity {@code s}: an
 * S-curve whose steep part sits near {@code (1/bands)^(1/rows)}.
 *
 * <p>The choice: among the layouts with at most {@value #MAX_BANDS} bands (each band costs one index entry per kept
 * record) whose candidate probability at the threshold itself is at least {@value #RECALL_AT_THRESHOLD}, the one with
 * the smallest false-positive area below the threshold. Misses are what matters, since they let a near duplicate
 * through; a false positive only costs one check of the estimated similarity, which then rejects it.
 *
 * <p>At thresholds of about 0.25 and below no such layout reaches that recall (with one row per band, the best,
 * {@code 1 - (1 - s)^8} is 0.9 at s = 0.25). There the layout with the highest recall at the threshold is taken:
 * pairs well above it are still found almost surely (99.6% at s = 0.5), fewer of those just at it are.
 */
public record LshParameters(int bands, int rows) {
    static final double RECALL_AT_THRESHOLD = 0.9;
    static final int MAX_BANDS = 8;

    public static LshParameters forThreshold(double threshold, int signatureSize) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        LshParameters best = null;
        double bestArea = Double.MAX_VALUE;
        LshParameters mostSensitive = null;
        for (int bands = 1; bands <= Math.min(MAX_BANDS, signatureSize); bands++) {
            for (int rows = 1; rows * bands <= signatureSize; rows++) {
                LshParameters candidate = new LshParameters(bands, rows);
                double recall = candidate.candidateProbability(threshold);
                if (mostSensitive == null || recall > mostSensitive.candidateProbability(threshold)) {
                    mostSensitive = candidate;
                }
                if (recall < RECALL_AT_THRESHOLD) {
                    continue;
                }
                double area = candidate.falsePositiveArea(threshold);
                if (area < bestArea) {
                    bestArea = area;
                    best = candidate;
                }
            }
        }
        return best != null ? best : mostSensitive;
    }

    /** Probability that a pair with Jaccard similarity {@code s} becomes a candidate. */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** Where the S-curve is steepest, roughly. */
    public double curveThreshold() {
        return Math.pow(1.0 / bands, 1.0 / rows);
    }

    /** The integral of the candidate probability from 0 to the threshold (midpoint rule). */
    private double falsePositiveArea(double threshold) {
        int steps = 200;
        double width = threshold / steps;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            sum += candidateProbability((i + 0.5) * width) * width;
        }
        return sum;
    }
}
