package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ChrF} against sacreBLEU's own tests (mjpost/sacrebleu, test/test_chrf.py; sacreBLEU asserts within 1e-4,
 * so do we). Those tests run beta 3 in both scoring modes and the defaults (beta 2) with epsilon smoothing; our
 * default (beta 2, no epsilon smoothing) combines the two tested code paths.
 */
class ChrFTest {

    static final double TOLERANCE = 1e-4;

    /** test_cases: corpus_chrf(char_order=6, word_order=0, beta=3, eps_smoothing=True). */
    static Stream<Arguments> epsilonSmoothedBeta3() {
        return Stream.of(
                Arguments.of(List.of("abcdefg"), List.of("hijklmnop"), 0.0),
                Arguments.of(List.of("a"), List.of("b"), 0.0),
                Arguments.of(List.of(""), List.of("b"), 0.0),
                Arguments.of(List.of(""), List.of("ref"), 0.0),
                Arguments.of(List.of(""), List.of("reference"), 0.0),
                Arguments.of(List.of("aa"), List.of("ab"), 8.3333),
                Arguments.of(List.of("a", "b"), List.of("a", "c"), 8.3333),
                Arguments.of(List.of("a"), List.of("a"), 16.6667),
                Arguments.of(List.of("a b c"), List.of("a b c"), 50.0),
                Arguments.of(List.of("a b c"), List.of("abc"), 50.0),
                Arguments.of(List.of(" risk assessment must be made of those who are qualified and expertise in the"
                                + " sector - these are the scientists ."),
                        List.of("risk assessment has to be undertaken by those who are qualified and expert in that"
                                + " area - that is the scientists ."), 63.361730),
                Arguments.of(List.of(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "),
                        List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."),
                        64.1302698),
                Arguments.of(List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
                        List.of("Niemand hat die Absicht, eine Mauer zu errichten"), 100.0));
    }

    @ParameterizedTest
    @MethodSource("epsilonSmoothedBeta3")
    void epsilonSmoothing(List<String> hypotheses, List<String> references, double expected) {
        assertEquals(expected, new ChrF(3, true).corpus(hypotheses, references), TOLERANCE);
    }

    /** test_cases_effective_order: corpus_chrf(char_order=6, word_order=0, beta=3, eps_smoothing=False). */
    static Stream<Arguments> effectiveOrderBeta3() {
        return Stream.of(
                Arguments.of(List.of("a"), List.of("a"), 100.0),
                Arguments.of(List.of(""), List.of("reference"), 0.0),
                Arguments.of(List.of("a b c"), List.of("a b c"), 100.0),
                Arguments.of(List.of("a b c"), List.of("abc"), 100.0),
                Arguments.of(List.of(""), List.of("c"), 0.0),
                Arguments.of(List.of("a", "b"), List.of("a", "c"), 50.0),
                Arguments.of(List.of("aa"), List.of("ab"), 25.0));
    }

    @ParameterizedTest
    @MethodSource("effectiveOrderBeta3")
    void effectiveOrder(List<String> hypotheses, List<String> references, double expected) {
        assertEquals(expected, new ChrF(3, false).corpus(hypotheses, references), TOLERANCE);
    }

    /** test_sentence_level_chrf: sentence_chrf(hypothesis, [reference], eps_smoothing=True), default beta 2. */
    @Test
    void sentenceLevelBeta2() {
        ChrF chrF = new ChrF(2, true);
        assertEquals(39.14078509, chrF.sentence(
                "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
                "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."), TOLERANCE);
        assertEquals(31.22557079, chrF.sentence(
                "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
                "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."), TOLERANCE);
        assertEquals(57.15704367, chrF.sentence(
                "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
                "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."), TOLERANCE);
    }

    /** A character is a code point: an emoji is one unigram, not two UTF-16 halves. */
    @Test
    void countsCodePoints() {
        long[][] stats = ChrF.statistics("😀 😀", "😀x");
        assertArrayEquals(new long[] {2, 2, 1}, stats[0]);
        assertArrayEquals(new long[] {1, 1, 0}, stats[1]);
        assertEquals(100.0, new ChrF().sentence("naïve café 日本語", "naïve café 日本語"), 1e-9);
    }

    /** No n-gram on either side, or none shared: 0, never NaN; an empty corpus too. */
    @Test
    void emptySides() {
        ChrF chrF = new ChrF();
        assertEquals(0.0, chrF.sentence("", ""), 0.0);
        assertEquals(0.0, chrF.sentence("", "reference"), 0.0);
        assertEquals(0.0, chrF.sentence("prediction", ""), 0.0);
        assertEquals(0.0, chrF.corpus(List.of(), List.of()), 0.0);
        assertEquals(0.0, chrF.corpus(List.of("", ""), List.of("", "")), 0.0);
    }
}
