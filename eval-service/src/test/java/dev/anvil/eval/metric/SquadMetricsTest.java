package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ExactMatch} and {@link TokenF1} against the official SQuAD v1.1 evaluation script. */
class SquadMetricsTest {

    static final double TOLERANCE = 1e-12;
    final ExactMatch exactMatch = new ExactMatch();
    final TokenF1 tokenF1 = new TokenF1();

    /**
     * The examples of huggingface/evaluate metrics/squad/README.md (the "squad" metric wraps the official v1.1 script
     * and prints 0..100; ours is 0..1). "Beyonce" shares no token with "Beyoncé and Bruno Mars": é is not removed.
     */
    @Test
    void matchesTheSquadMetricCardExamples() {
        // Perfect match: {'exact_match': 100.0, 'f1': 100.0}
        assertEquals(1.0, exactMatch.corpus(List.of("1976"), List.of("1976")), TOLERANCE);
        assertEquals(1.0, tokenF1.corpus(List.of("1976"), List.of("1976")), TOLERANCE);
        // No match: {'exact_match': 0.0, 'f1': 0.0}
        assertEquals(0.0, exactMatch.corpus(List.of("1999"), List.of("1976")), TOLERANCE);
        assertEquals(0.0, tokenF1.corpus(List.of("1999"), List.of("1976")), TOLERANCE);
        // Partial match: {'exact_match': 66.66666666666667, 'f1': 66.66666666666667}
        List<String> predictions = List.of("1976", "Beyonce", "climate change");
        List<String> references = List.of("1976", "Beyoncé and Bruno Mars", "climate change");
        assertEquals(0.6666666666666667, exactMatch.corpus(predictions, references), TOLERANCE);
        assertEquals(0.6666666666666667, tokenF1.corpus(predictions, references), TOLERANCE);
    }

    /** Hand-computed from the script's normalize_answer: lowercase, ASCII punctuation, articles, whitespace. */
    @Test
    void normalisesAsTheScript() {
        assertEquals("cat sat", AnswerNormalization.squad("  The Cat   sat! "));
        assertEquals("ab", AnswerNormalization.squad("A.B."));            // punctuation goes before articles
        assertEquals("theory", AnswerNormalization.squad("a theory"));  // whole words only
        assertEquals("café – naïve", AnswerNormalization.squad("The café – naïve"));  // non-ASCII stays
        assertEquals(1.0, exactMatch.sentence("the Eiffel Tower.", "Eiffel tower"));
    }

    /** Hand-computed from the script's f1_score: multiset overlap of normalised tokens. */
    @Test
    void tokenF1CountsRepeatedTokensOnce() {
        // pred {big, dog}, gold {big, red, dog}: 2 common, P 1, R 2/3, F1 0.8
        assertEquals(0.8, tokenF1.sentence("the big dog", "a big red dog"), TOLERANCE);
        // pred {dog, dog, dog}, gold {dog}: 1 common, P 1/3, R 1, F1 0.5
        assertEquals(0.5, tokenF1.sentence("dog dog dog", "dog"), TOLERANCE);
    }

    /**
     * Empty sides as in the v1.1 script: two answers normalising to "" are an exact match, but have no common token,
     * so F1 is 0. An empty corpus is 0 for both.
     */
    @Test
    void emptyAnswers() {
        assertEquals(1.0, exactMatch.sentence("", "the"));
        assertEquals(0.0, tokenF1.sentence("", ""));
        assertEquals(0.0, tokenF1.sentence("", "1976"));
        assertEquals(0.0, tokenF1.sentence("1976", ""));
        assertEquals(0.0, exactMatch.corpus(List.of(), List.of()));
        assertEquals(0.0, tokenF1.corpus(List.of(), List.of()));
    }
}
