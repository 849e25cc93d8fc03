package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Accuracy} and {@link MacroF1} against scikit-learn's documented examples
 * (scikit-learn/scikit-learn, sklearn/metrics/_classification.py docstrings of accuracy_score, f1_score and
 * classification_report), with the labels written as strings; and the label rule of {@link LabelReferences}.
 */
class LabelMetricsTest {

    final Accuracy accuracy = new Accuracy();
    final MacroF1 macroF1 = new MacroF1();

    /** accuracy_score: y_pred = [0, 2, 1, 3], y_true = [0, 1, 2, 3] gives 0.5. */
    @Test
    void accuracyOfTheDocstringExample() {
        assertEquals(0.5, accuracy.corpus(List.of("0", "2", "1", "3"), List.of("0", "1", "2", "3")), 0.0);
    }

    /**
     * f1_score: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]; average='macro' prints 0.26..., and
     * average=None array([0.8, 0., 0.]), whose mean is 0.8 / 3.
     */
    @Test
    void macroF1OfTheF1ScoreDocstringExample() {
        double f1 = macroF1.corpus(List.of("0", "2", "1", "0", "0", "1"), List.of("0", "1", "2", "0", "1", "2"));
        assertTrue(f1 >= 0.26 && f1 < 0.27, "0.26... expected, got " + f1);
        assertEquals(0.8 / 3, f1, 1e-12);
    }

    /**
     * classification_report: y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1] reports macro avg f1-score 0.49 and
     * accuracy 0.60 (2 digits, so within 0.005).
     */
    @Test
    void macroF1OfTheClassificationReportExample() {
        List<String> predictions = List.of("0", "0", "2", "2", "1");
        List<String> references = List.of("0", "1", "2", "2", "2");
        assertEquals(0.49, macroF1.corpus(predictions, references), 0.005);
        assertEquals(0.60, accuracy.corpus(predictions, references), 0.005);
    }

    /**
     * Labels compare case-insensitively, without ASCII punctuation or extra whitespace, articles kept; a predicted
     * label outside the reference labels is one more label with F1 0 (scikit-learn's union of labels).
     */
    @Test
    void labelForms() {
        assertEquals(1.0, accuracy.sentence(" Positive.", "positive"));
        assertEquals(1.0, accuracy.sentence("A", "a"));
        assertEquals(0.0, accuracy.sentence("an", "A"));
        // positive: F1 1; negative: never predicted, F1 0; "i think so": F1 0.
        assertEquals(1.0 / 3, macroF1.corpus(List.of("Positive", "I think so"), List.of("positive", "negative")),
                1e-12);
    }

    @Test
    void emptyCorpusAndEmptyLabels() {
        assertEquals(0.0, accuracy.corpus(List.of(), List.of()), 0.0);
        assertEquals(0.0, macroF1.corpus(List.of(), List.of()), 0.0);
        assertEquals(1.0, macroF1.corpus(List.of(""), List.of("")), 0.0);
        assertEquals(0.0, macroF1.sentence("yes", "no"), 0.0);
        assertFalse(macroF1.scoresExamples());
    }

    @Test
    void labelRule() {
        assertTrue(LabelReferences.areLabels(List.of("positive", "negative", "Positive", "neutral", "negative",
                "positive")));
        assertTrue(LabelReferences.areLabels(List.of("A", "B", "A", "C", "D", "B", "C", "D")));
        assertTrue(LabelReferences.areLabels(List.of("yes", "yes")));
        // Free-form answers: mostly distinct.
        assertFalse(LabelReferences.areLabels(List.of("1976", "Beyoncé and Bruno Mars", "climate change",
                "Denver Broncos")));
        // One reference: nothing repeats.
        assertFalse(LabelReferences.areLabels(List.of("positive")));
        assertFalse(LabelReferences.areLabels(List.of()));
        // Multi-line, too long, or empty after normalisation.
        assertFalse(LabelReferences.areLabels(List.of("yes\nno", "yes\nno")));
        assertFalse(LabelReferences.areLabels(List.of("x".repeat(33), "x".repeat(33))));
        assertFalse(LabelReferences.areLabels(List.of("?", "?")));
        assertFalse(LabelReferences.areLabels(List.of("", "")));
        // More than 20 distinct labels.
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 21; i++) many.addAll(List.of("label" + i, "label" + i));
        assertFalse(LabelReferences.areLabels(many));
    }
}
