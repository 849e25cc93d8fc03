package dev.anvil.gateway.drift;

import java.util.List;

/**
 * One feature of a live window against its reference: its statistics, whether it drifted (all its statistics past
 * their thresholds) and the two distributions side by side.
 *
 * @param feature    {@code prompt_tokens}, {@code response_tokens}, {@code rare_token_share}, {@code refusal},
 *                   {@code prompt_characters} or {@code prompt_embedding}
 * @param statistics the first is the one an alert names
 */
public record FeatureCheck(String feature, List<Statistic> statistics, boolean drifted, Histogram histogram) {

    public FeatureCheck {
        statistics = List.copyOf(statistics);
    }

    static FeatureCheck of(String feature, Histogram histogram, Statistic... statistics) {
        boolean drifted = statistics.length > 0;
        for (Statistic s : statistics) drifted &= s.breached();
        return new FeatureCheck(feature, List.of(statistics), drifted, histogram);
    }

    public Statistic lead() {
        return statistics.get(0);
    }

    /**
     * @param name      {@code psi}, {@code ks_p_value}, {@code jensen_shannon} or {@code centroid_cosine}
     * @param breached  past the threshold: above it, or below it for a p-value
     */
    public record Statistic(String name, double value, double threshold, boolean breached) {
        static Statistic above(String name, double value, double threshold) {
            return new Statistic(name, value, threshold, value > threshold);
        }

        static Statistic below(String name, double value, double threshold) {
            return new Statistic(name, value, threshold, value < threshold);
        }
    }

    /** Shares per bin (numeric) or category; empty for the embedding. */
    public record Histogram(List<String> bins, double[] reference, double[] live) {
        static final Histogram NONE = new Histogram(List.of(), new double[0], new double[0]);
    }
}
