package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Bleu} against sacreBLEU's own tests (mjpost/sacrebleu, test/test_bleu.py and test/test_sentence_bleu.py). */
class BleuTest {

    final Bleu bleu = new Bleu();

    /**
     * test_bleu.py test_corpus_bleu, the README example with two reference streams: default settings (13a, exp
     * smoothing) give 48.530827 (sacreBLEU asserts within 1e-8; we allow 1e-6), and empty hypotheses 0.0.
     */
    @Test
    void corpusBleuOfTheReadmeExample() {
        List<String> hypotheses = List.of("The dog bit the man.", "It wasn't surprising.",
                "The man had just bitten him.");
        List<List<String>> references = List.of(
                List.of("The dog bit the man.", "The dog had bit the man."),
                List.of("It was not unexpected.", "No one was surprised."),
                List.of("The man bit him first.", "The man had bitten the dog."));
        assertEquals(48.530827, bleu.corpusWithReferenceSets(hypotheses, references), 1e-6);
        assertEquals(0.0, bleu.corpusWithReferenceSets(List.of("", "", ""), references), 0.0);
    }

    /** test_bleu.py test_statistics: matches [4, 2, 1, 0] of totals [6, 5, 4, 3]. */
    @Test
    void nGramStatistics() {
        BleuStatistics stats = Bleu.statistics("am I am a character sequence",
                List.of("I am a symbol string sequence a a"));
        assertArrayEquals(new int[] {4, 2, 1, 0}, stats.matches());
        assertArrayEquals(new int[] {6, 5, 4, 3}, stats.totals());
        assertEquals(6, stats.hypothesisLength());
        assertEquals(8, stats.referenceLength());
    }

    /** test_bleu.py test_scoring: matches [9, 7, 5, 3], totals [10, 8, 6, 4], lengths 11 and 11 give 0.8375922397. */
    @Test
    void scoreOfStatistics() {
        BleuStatistics stats = new BleuStatistics(11, 11, new int[] {9, 7, 5, 3}, new int[] {10, 8, 6, 4});
        assertEquals(83.75922397, Bleu.score(stats, false), 1e-6);
    }

    /**
     * test_sentence_bleu.py: exp smoothing, 13a, effective order: 8.493 (sacreBLEU's tolerance 1e-3), from sacreBLEU
     * issue #98 (Romanian, ţ with cedilla against ț with comma); and 0.0 for issue #141's pair with no match.
     */
    @Test
    void sentenceBleu() {
        String reference = "producţia de zahăr brut se exprimă în zahăr alb;";
        String hypothesis = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
        assertEquals(8.493, bleu.sentence(hypothesis, reference), 1e-3);
        assertEquals(0.0, bleu.sentence("this is a cat", "okay thanks"), 0.0);
    }

    /**
     * test_bleu.py test_effective_order (sentences with fewer than four tokens; no order there lacks a match, so
     * sacreBLEU's floor smoothing in that test and our exp smoothing agree): 0.3678794411714425 and 1.0, times 100.
     */
    @Test
    void sentenceBleuUsesEffectiveOrder() {
        assertEquals(36.78794411714425, bleu.sentence("test", "a test"), 1e-6);
        assertEquals(100.0, bleu.sentence("a test", "a test"), 1e-9);
        // Corpus BLEU has no effective order: a corpus of two-token predictions scores 0, as in sacreBLEU.
        assertEquals(0.0, bleu.corpus(List.of("a test"), List.of("a test")), 0.0);
    }

    /** Hand-derived from the mteval-v13a rules sacreBLEU implements. */
    @Test
    void tokenizes13a() {
        assertEquals(List.of("It", "wasn't", "surprising", "."), Tokenizer13a.tokenize("It wasn't surprising."));
        assertEquals(List.of("3.5", "million", ",", "1,000", "-", "year", "well-known", "(", "x", ")", "&", "\""),
                Tokenizer13a.tokenize("3.5 million, 1,000-year well-known (x) &amp; &quot;"));
    }

    /** Empty sides give 0, never NaN, as sacreBLEU (no match means 0). */
    @Test
    void emptySides() {
        assertEquals(0.0, bleu.sentence("", "a reference"), 0.0);
        assertEquals(0.0, bleu.sentence("a prediction", ""), 0.0);
        assertEquals(0.0, bleu.sentence("", ""), 0.0);
        assertEquals(0.0, bleu.corpus(List.of(), List.of()), 0.0);
        assertEquals(0.0, bleu.corpus(List.of("", ""), List.of("", "")), 0.0);
    }
}
