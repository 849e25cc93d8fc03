package dev.anvil.gateway.drift;

/**
 * Past what a statistic declares drift. A numeric feature drifts when both its PSI is above {@code psi} and its
 * Kolmogorov-Smirnov p-value below {@code ksPValue}: a shift large enough to matter and too large to be chance. Either
 * alone raises false alarms on windows of a few hundred requests (PSI's noise grows with bins over samples; one test
 * in a hundred passes {@code p < 0.01} by chance).
 *
 * @param psi              population stability index (0.2: "significant shift" by the usual rule of thumb)
 * @param ksPValue         Kolmogorov-Smirnov p-value, below which the two samples differ
 * @param jensenShannon    Jensen-Shannon distance (bits) of a categorical feature
 * @param centroidDistance cosine distance of the prompt-embedding centroids
 */
public record DriftThresholds(double psi, double ksPValue, double jensenShannon, double centroidDistance) {
}
