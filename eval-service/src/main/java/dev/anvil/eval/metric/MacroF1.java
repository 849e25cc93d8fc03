package dev.anvil.eval.metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Macro-averaged F1 of labels, as scikit-learn's {@code f1_score(average='macro')} with its default labels and
 * zero_division: the unweighted mean over every label seen in the references or the predictions of that label's F1
 * (one-vs-rest true positives, false positives, false negatives). A label never predicted correctly scores 0, so a
 * prediction outside the label set (a model rambling) adds a label with F1 0 and pulls the mean down, as it does in
 * scikit-learn. Labels compare in their {@link AnswerNormalization#label label form}, as for {@link Accuracy}.
 * 0..1; an empty corpus scores 0.
 */
public final class MacroF1 implements GenerationMetric {

    public static final String NAME = "macroF1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double corpus(List<String> predictions, List<String> references) {
        GenerationMetric.requireAligned(predictions, references);
        // Per label: {true positives, false positives, false negatives}.
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < predictions.size(); i++) {
            String predicted = AnswerNormalization.label(predictions.get(i));
            String expected = AnswerNormalization.label(references.get(i));
            if (predicted.equals(expected)) {
                counts.computeIfAbsent(predicted, k -> new int[3])[0]++;
            } else {
                counts.computeIfAbsent(predicted, k -> new int[3])[1]++;
                counts.computeIfAbsent(expected, k -> new int[3])[2]++;
            }
        }
        if (counts.isEmpty()) return 0.0;
        double sum = 0;
        for (int[] c : counts.values()) {
            // zero_division=0: a label never predicted has precision 0 (never expected: recall 0).
            double precision = c[0] + c[1] > 0 ? (double) c[0] / (c[0] + c[1]) : 0.0;
            double recall = c[0] + c[2] > 0 ? (double) c[0] / (c[0] + c[2]) : 0.0;
            sum += FScore.f1(precision, recall);
        }
        return sum / counts.size();
    }

    /** Macro F1 of the one-pair corpus: 1 when the labels agree, else 0 (so {@link #scoresExamples()} is false). */
    @Override
    public double sentence(String prediction, String reference) {
        return corpus(List.of(prediction), List.of(reference));
    }

    @Override
    public boolean scoresExamples() {
        return false;
    }
}
