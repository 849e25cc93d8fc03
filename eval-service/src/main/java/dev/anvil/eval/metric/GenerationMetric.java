package dev.anvil.eval.metric;

import java.util.List;

/**
 * One metric of generated text against a reference: a corpus score over aligned lists and the score of one pair.
 * Implementations are stateless and thread-safe; they never return NaN, and score an empty corpus 0.
 */
public interface GenerationMetric {

    /** The stable key of this metric in result maps (e.g. {@code "bleu"}). */
    String name();

    /**
     * The corpus score, as the metric's reference tool computes it over a whole test set (for most metrics the mean
     * of the per-example scores; BLEU and chrF sum n-gram statistics over the corpus first).
     *
     * @param predictions the generated texts
     * @param references  one reference per prediction, in the same order
     * @throws IllegalArgumentException when the lists differ in size
     */
    double corpus(List<String> predictions, List<String> references);

    /** The score of one prediction against its reference, on the same scale as {@link #corpus}. */
    double sentence(String prediction, String reference);

    /**
     * Whether {@link #sentence} says something of its own about one example. Macro F1 of a single pair is just its
     * accuracy, so it is reported for the corpus only.
     */
    default boolean scoresExamples() {
        return true;
    }

    /** The check every {@link #corpus} starts with: one reference per prediction. */
    static void requireAligned(List<String> predictions, List<String> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + references.size()
                    + " references; every prediction needs exactly one reference");
        }
    }
}
