package dev.anvil.eval.metric;

import java.util.List;

/**
 * SQuAD v1.1 token F1: the F1 of the multiset overlap between the whitespace tokens of the normalised prediction and
 * reference ({@link AnswerNormalization#squad}); the corpus score is the mean (0..1). As in the v1.1 script, a pair
 * with no common token scores 0, even when both sides are empty (v2.0's script would say 1 there).
 */
public final class TokenF1 extends MeanOfExampleScores {

    public static final String NAME = "tokenF1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double sentence(String prediction, String reference) {
        List<String> predicted = Whitespace.split(AnswerNormalization.squad(prediction));
        List<String> expected = Whitespace.split(AnswerNormalization.squad(reference));
        int common = NGrams.clippedMatches(NGrams.count(predicted, 1), NGrams.count(expected, 1));
        if (common == 0) return 0.0;
        return FScore.f1((double) common / predicted.size(), (double) common / expected.size());
    }
}
