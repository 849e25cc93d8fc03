package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeout;

/**
 * {@link RougeN} and {@link RougeL} against rouge_score's own tests (google-research/google-research,
 * rouge/rouge_scorer_test.py, and the inputs in rouge/testdata/target.txt and prediction.txt). rouge_score's
 * {@code score(target, prediction)} takes the reference first; F-measure is symmetric anyway.
 */
class RougeTest {

    /** assertAlmostEqual's default: 7 places. */
    static final double SEVEN_PLACES = 5e-8;
    /** The ROUGE-1.5.5 comparisons assert 5 places. */
    static final double FIVE_PLACES = 5e-6;

    /** rouge/testdata/target.txt, lines 1 and 2 (random strings; the expected numbers come from ROUGE-1.5.5). */
    static final List<String> TARGETS = List.of(
            "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr"
                    + " q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
            "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer"
                    + " HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T"
                    + " BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n");
    /** rouge/testdata/prediction.txt, lines 1 and 2. */
    static final List<String> PREDICTIONS = List.of(
            "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
            "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed"
                    + " nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n");

    final RougeN rouge1 = new RougeN(1);
    final RougeN rouge2 = new RougeN(2);
    final RougeL rougeL = new RougeL();

    /** testRouge1, testRouge2, testRougeLConsecutive, testRougeLNonConsecutive. */
    @Test
    void smallCases() {
        assertEquals(0.5, rouge1.sentence("testing", "testing one two"), SEVEN_PLACES);
        assertEquals(2.0 / 3, rouge2.sentence("testing one", "testing one two"), SEVEN_PLACES);
        assertEquals(4.0 / 5, rougeL.sentence("testing one", "testing one two"), SEVEN_PLACES);
        assertEquals(4.0 / 5, rougeL.sentence("testing two", "testing one two"), SEVEN_PLACES);
    }

    /** testRouge1AgainstRouge155, testRouge2AgainstRouge155, testRougeLAgainstRouge155 (F-measures). */
    @Test
    void matchesRouge155() {
        assertEquals(0.51163, rouge1.sentence(PREDICTIONS.get(0), TARGETS.get(0)), FIVE_PLACES);
        assertEquals(0.50000, rouge1.sentence(PREDICTIONS.get(1), TARGETS.get(1)), FIVE_PLACES);
        assertEquals(0.39024, rouge2.sentence(PREDICTIONS.get(0), TARGETS.get(0)), FIVE_PLACES);
        assertEquals(0.36364, rouge2.sentence(PREDICTIONS.get(1), TARGETS.get(1)), FIVE_PLACES);
        assertEquals(0.51163, rougeL.sentence(PREDICTIONS.get(0), TARGETS.get(0)), FIVE_PLACES);
        assertEquals(0.50000, rougeL.sentence(PREDICTIONS.get(1), TARGETS.get(1)), FIVE_PLACES);
        // The corpus value is the mean of the per-example F-measures.
        assertEquals((0.51163 + 0.50000) / 2, rouge1.corpus(PREDICTIONS, TARGETS), FIVE_PLACES);
    }

    /** testRougeEmpty: an empty prediction scores 0 for rouge1, rouge2 and rougeL; so does an empty target. */
    @Test
    void emptySides() {
        for (MeanOfExampleScores metric : List.of(rouge1, rouge2, rougeL)) {
            assertEquals(0.0, metric.sentence("", "testing one two"), 0.0);
            assertEquals(0.0, metric.sentence("testing one two", ""), 0.0);
            assertEquals(0.0, metric.sentence("", ""), 0.0);
            assertEquals(0.0, metric.sentence("/", "testing"), 0.0);  // no token survives the tokenizer
            assertEquals(0.0, metric.corpus(List.of(), List.of()), 0.0);
        }
    }

    /** rouge_score's tokenizer keeps only [a-z0-9] after lowercasing: accented letters split words. */
    @Test
    void tokenizesAsRougeScore() {
        assertEquals(List.of("caf", "na", "ve", "2024"), RougeTokenizer.tokenize("Café naïve, 2024!"));
        assertEquals(List.of(), RougeTokenizer.tokenize("日本語 😀"));
    }

    @Test
    void longestCommonSubsequence() {
        // rouge_scorer_test.py testLcsTable: LCS of [1, 2, 3, 4, 5] and [2, 5, 3, 4] is 3 long; of [8, 9] 0.
        assertEquals(3, RougeL.longestCommonSubsequence(List.of("1", "2", "3", "4", "5"), List.of("2", "5", "3", "4")));
        assertEquals(0, RougeL.longestCommonSubsequence(List.of("1", "2", "3", "4", "5"), List.of("8", "9")));
    }

    /** Two 10,000-character texts (2,000 tokens each): the LCS is 4 million steps, well under a second. */
    @Test
    void longTextsStayFast() {
        String a = "abcd ".repeat(2000);
        String b = "abce ".repeat(2000);
        assertTimeout(Duration.ofSeconds(5), () -> assertEquals(0.0, rougeL.sentence(a, b), 0.0));
        assertTimeout(Duration.ofSeconds(5), () -> assertEquals(1.0, rougeL.sentence(a, a), 0.0));
    }
}
