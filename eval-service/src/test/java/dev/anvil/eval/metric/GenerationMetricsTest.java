package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GenerationMetrics}: which metrics, in what order, and the edge cases of whole test sets. */
class GenerationMetricsTest {

    static final List<String> TEXT_METRICS = List.of("exactMatch", "tokenF1", "bleu", "rouge1", "rouge2", "rougeL",
            "chrF");

    @Test
    void freeTextGetsTheTextMetricsInOrder() {
        GenerationScores scores = GenerationMetrics.score(List.of("The dog bit the man.", "It wasn't surprising."),
                List.of("The dog bit the man.", "It was not unexpected."));
        assertFalse(scores.labels());
        assertEquals(TEXT_METRICS, List.copyOf(scores.corpus().keySet()));
        assertEquals(2, scores.examples().size());
        assertEquals(TEXT_METRICS, List.copyOf(scores.examples().get(0).keySet()));
        assertEquals(1.0, scores.examples().get(0).get("exactMatch"));
        assertEquals(100.0, scores.examples().get(0).get("bleu"), 1e-9);
        assertEquals(0.5, scores.corpus().get("exactMatch"));
        // Each corpus value is the metric's own corpus score.
        assertEquals(new Bleu().corpus(List.of("The dog bit the man.", "It wasn't surprising."),
                List.of("The dog bit the man.", "It was not unexpected.")), scores.corpus().get("bleu"), 0.0);
    }

    @Test
    void labelsAddAccuracyAndMacroF1ToTheCorpusOnly() {
        GenerationScores scores = GenerationMetrics.score(List.of("positive", "Negative.", "positive", "negative"),
                List.of("positive", "negative", "negative", "negative"));
        assertTrue(scores.labels());
        List<String> expected = new java.util.ArrayList<>(TEXT_METRICS);
        expected.addAll(List.of("accuracy", "macroF1"));
        assertEquals(expected, List.copyOf(scores.corpus().keySet()));
        assertEquals(0.75, scores.corpus().get("accuracy"));
        // positive: P 1/2 R 1 F1 2/3; negative: P 1 R 2/3 F1 0.8
        assertEquals((2.0 / 3 + 0.8) / 2, scores.corpus().get("macroF1"), 1e-12);
        Map<String, Double> first = scores.examples().get(0);
        assertTrue(first.containsKey("accuracy"));
        assertFalse(first.containsKey("macroF1"));
    }

    /** No pairs: every text metric is 0, no examples, no label metrics (there is nothing to call a label). */
    @Test
    void emptyCorpus() {
        GenerationScores scores = GenerationMetrics.score(List.of(), List.of());
        assertEquals(TEXT_METRICS, List.copyOf(scores.corpus().keySet()));
        scores.corpus().values().forEach(v -> assertEquals(0.0, v));
        assertTrue(scores.examples().isEmpty());
    }

    /**
     * Only empty strings: exact match 1 (both normalise to ""), every overlap metric 0 (nothing to overlap), never
     * NaN.
     */
    @Test
    void allEmptyStrings() {
        GenerationScores scores = GenerationMetrics.score(List.of("", "", ""), List.of("", "", ""));
        assertFalse(scores.labels());
        assertEquals(1.0, scores.corpus().get("exactMatch"));
        for (String name : TEXT_METRICS.subList(1, TEXT_METRICS.size())) {
            assertEquals(0.0, scores.corpus().get(name), name);
        }
        scores.examples().forEach(e -> e.values().forEach(v -> assertFalse(v.isNaN())));
    }

    @Test
    void emptyPredictionOrReferenceAmongOthers() {
        GenerationScores scores = GenerationMetrics.score(List.of("", "a cat sat on the mat"),
                List.of("a cat sat on the mat", ""));
        scores.corpus().forEach((name, v) -> assertEquals(0.0, v, name));
    }

    @Test
    void unicode() {
        String text = "Straße 😀 naïve — 日本語のテキスト";
        GenerationScores scores = GenerationMetrics.score(List.of(text), List.of(text));
        assertEquals(1.0, scores.corpus().get("exactMatch"));
        assertEquals(1.0, scores.corpus().get("tokenF1"), 1e-12);
        assertEquals(100.0, scores.corpus().get("bleu"), 1e-9);
        assertEquals(100.0, scores.corpus().get("chrF"), 1e-9);
        // rouge_score keeps [a-z0-9] only: "stra", "e", "na", "ve" survive and match.
        assertEquals(1.0, scores.corpus().get("rouge1"), 1e-12);
        assertEquals(0.0, GenerationMetrics.score(List.of("日本語"), List.of("日本語")).corpus().get("rougeL"));
    }

    @Test
    void longTexts() {
        String prediction = "the quick brown fox jumps over the lazy dog ".repeat(230);  // ~10k characters
        String reference = "a quick brown cat jumps over a lazy dog ".repeat(250);
        assertTimeout(Duration.ofSeconds(10), () -> {
            GenerationScores scores = GenerationMetrics.score(List.of(prediction), List.of(reference));
            scores.corpus().values().forEach(v -> assertTrue(v >= 0 && !v.isNaN()));
        });
    }

    @Test
    void rejectsMisalignedLists() {
        assertThrows(IllegalArgumentException.class, () -> GenerationMetrics.score(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Bleu().corpus(List.of("a"), List.of("a", "b")));
    }

    @Test
    void resultsAreUnmodifiable() {
        GenerationScores scores = GenerationMetrics.score(List.of("a"), List.of("a"));
        assertThrows(UnsupportedOperationException.class, () -> scores.corpus().put("x", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> scores.examples().get(0).put("x", 1.0));
    }
}
