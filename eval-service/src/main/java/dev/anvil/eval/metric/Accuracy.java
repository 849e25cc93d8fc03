package dev.anvil.eval.metric;

/**
 * Label accuracy, as scikit-learn's {@code accuracy_score}: the share of predictions equal to their reference label,
 * 0..1. Labels compare in their {@link AnswerNormalization#label label form}: case-insensitive, ASCII punctuation and
 * surrounding or repeated whitespace ignored ("Positive." equals "positive"), articles kept ("A" is an option).
 */
public final class Accuracy extends MeanOfExampleScores {

    public static final String NAME = "accuracy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double sentence(String prediction, String reference) {
        return AnswerNormalization.label(prediction).equals(AnswerNormalization.label(reference)) ? 1.0 : 0.0;
    }
}
