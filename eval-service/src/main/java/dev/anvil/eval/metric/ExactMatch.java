package dev.anvil.eval.metric;

/**
 * SQuAD v1.1 exact match: 1 when prediction and reference are equal after {@link AnswerNormalization#squad}, else 0;
 * the corpus score is the mean (0..1; the official script prints it times 100). Two answers that normalise to the
 * empty string match (as in the script), so an all-empty corpus scores 1.
 */
public final class ExactMatch extends MeanOfExampleScores {

    public static final String NAME = "exactMatch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double sentence(String prediction, String reference) {
        return AnswerNormalization.squad(prediction).equals(AnswerNormalization.squad(reference)) ? 1.0 : 0.0;
    }
}
