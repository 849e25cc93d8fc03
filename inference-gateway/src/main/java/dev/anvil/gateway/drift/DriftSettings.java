package dev.anvil.gateway.drift;

import java.time.Duration;

/**
 * How a version's traffic is cut into windows.
 *
 * @param referenceSize how many of a version's first requests make its reference
 * @param windowSize    how many requests close a live window
 * @param minSamples    the fewest requests a window compared after {@code windowMaxAge} must hold; a smaller one
 *                      stays open
 * @param windowMaxAge  how long a window stays open before it is compared with what it holds
 * @param rareTop       how many of the reference's most frequent token ids are common ({@link RareTokens})
 */
public record DriftSettings(int referenceSize, int windowSize, int minSamples, Duration windowMaxAge, int rareTop,
                            DriftThresholds thresholds) {
    public DriftSettings {
        if (referenceSize < 4) throw new IllegalArgumentException("reference-size must be at least 4, not " + referenceSize);
        if (minSamples < 2) throw new IllegalArgumentException("min-samples must be at least 2, not " + minSamples);
        if (windowSize < minSamples) {
            throw new IllegalArgumentException("window-size (" + windowSize + ") must be at least min-samples ("
                    + minSamples + ")");
        }
    }
}
