package dev.anvil.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Each processor on hand-made logits; exact comparisons where the float arithmetic is exact. */
class LogitsProcessorsTest {
    static final float NEG_INF = Float.NEGATIVE_INFINITY;

    static SamplingSequence row(SamplingParams params, int... history) {
        return new SamplingSequence(params, history);
    }

    @Test
    void topKKeepsExactlyTheKLargest() {
        Tensor logits = Logits.of(new float[] {0.1f, 2f, -1f, 3f, 0.5f, 1.5f}, new float[] {0.1f, 2f, -1f, 3f, 0.5f, 1.5f},
                new float[] {0.1f, 2f, -1f, 3f, 0.5f, 1.5f});
        List<SamplingSequence> rows = List.of(row(SamplingParams.defaults().withTopK(3)),
                row(SamplingParams.defaults().withTopK(1)), row(SamplingParams.defaults()));
        float[][] out = Logits.read(new TopK().process(logits, rows));
        assertArrayEquals(new float[] {NEG_INF, 2f, NEG_INF, 3f, NEG_INF, 1.5f}, out[0]);
        assertArrayEquals(new float[] {NEG_INF, NEG_INF, NEG_INF, 3f, NEG_INF, NEG_INF}, out[1]);
        assertArrayEquals(new float[] {0.1f, 2f, -1f, 3f, 0.5f, 1.5f}, out[2], "top_k 0 is off");
        assertArrayEquals(new float[] {0.1f, 2f, -1f, 3f, 0.5f, 1.5f}, Logits.read(logits)[0], "input untouched");
    }

    @Test
    void topKKeepsTiesWithTheKthScoreAsTransformers() {
        Tensor logits = Logits.of(new float[] {1f, 2f, 2f, 0f});
        float[][] out = Logits.read(new TopK().process(logits, List.of(row(SamplingParams.defaults().withTopK(2)))));
        assertArrayEquals(new float[] {NEG_INF, 2f, 2f, NEG_INF}, out[0]);
        out = Logits.read(new TopK().process(logits, List.of(row(SamplingParams.defaults().withTopK(100)))));
        assertArrayEquals(new float[] {1f, 2f, 2f, 0f}, out[0], "k beyond the vocabulary keeps all");
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        float[] probs = Logits.logOf(0.15, 0.5, 0.05, 0.3);
        Tensor logits = Logits.of(probs, probs, probs, probs);
        List<SamplingSequence> rows = List.of(row(SamplingParams.defaults().withTopP(0.75)),
                row(SamplingParams.defaults().withTopP(0.85)), row(SamplingParams.defaults().withTopP(0.4)),
                row(SamplingParams.defaults()));
        float[][] out = Logits.read(new TopP().process(logits, rows));
        // 0.5 + 0.3 = 0.8 is the smallest mass >= 0.75; adding 0.15 is needed for 0.85; 0.5 alone covers 0.4.
        assertArrayEquals(new float[] {NEG_INF, probs[1], NEG_INF, probs[3]}, out[0]);
        assertArrayEquals(new float[] {probs[0], probs[1], NEG_INF, probs[3]}, out[1]);
        assertArrayEquals(new float[] {NEG_INF, probs[1], NEG_INF, NEG_INF}, out[2]);
        assertArrayEquals(probs, out[3], "top_p 1 is off");
    }

    @Test
    void topPAlwaysKeepsTheMostLikelyToken() {
        float[] peaked = Logits.logOf(0.97, 0.01, 0.01, 0.01);
        float[][] out = Logits.read(new TopP().process(Logits.of(peaked),
                List.of(row(SamplingParams.defaults().withTopP(0.001)))));
        assertArrayEquals(new float[] {peaked[0], NEG_INF, NEG_INF, NEG_INF}, out[0]);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOfSeenTokensOnce() {
        float[] scores = {2f, -2f, 1f, 0.5f};
        Tensor logits = Logits.of(scores, scores, scores);
        List<SamplingSequence> rows = List.of(
                row(SamplingParams.defaults().withRepetitionPenalty(2), 0, 1, 1),
                row(SamplingParams.defaults(), 0, 1, 1),
                row(SamplingParams.defaults().withRepetitionPenalty(2)));
        float[][] out = Logits.read(new RepetitionPenalty().process(logits, rows));
        assertArrayEquals(new float[] {1f, -4f, 1f, 0.5f}, out[0]);
        assertArrayEquals(scores, out[1], "penalty 1 is off");
        assertArrayEquals(scores, out[2], "nothing seen yet");
    }

    /** A sequence with {@code prompt}, then {@code generated} appended as the sampler appends its picks. */
    static SamplingSequence generatedRow(SamplingParams params, int[] prompt, int... generated) {
        SamplingSequence row = row(params, prompt);
        for (int token : generated) {
            row.append(token);
        }
        return row;
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtractPerGeneratedOccurrence() {
        double frequency = 0.5;
        double presence = 0.3;
        float[] scores = {2f, -1.25f, 0.7f, 3.1f, -0.4f};
        // -0.0 where rows without a penalty get their unused slot: it must come back as -0.0, not +0.0.
        float[] signedZero = {-0.0f, -1.25f, 0.7f, 3.1f, -0.4f};
        int[] prompt = {3, 3, 4}; // tokens 3 and 4 occur only in the prompt, which these penalties ignore
        SamplingParams penalized = SamplingParams.defaults().withFrequencyPenalty(frequency).withPresencePenalty(presence);
        List<SamplingSequence> rows = List.of(
                generatedRow(penalized, prompt, 0, 1, 0),                    // counts {0: 2, 1: 1}
                generatedRow(SamplingParams.defaults(), prompt, 0, 1, 0),    // both penalties 0
                generatedRow(penalized, prompt),                             // nothing generated yet
                generatedRow(SamplingParams.defaults().withFrequencyPenalty(-1), new int[0], 2, 2, 2));
        Tensor logits = Logits.of(scores, signedZero, scores, scores);
        float[][] out = Logits.read(new OccurrencePenalties().process(logits, rows));

        int[] counts = {2, 1, 0, 0, 0};
        float[] expected = new float[scores.length];
        for (int j = 0; j < scores.length; j++) {
            expected[j] = counts[j] == 0 ? scores[j] : scores[j] - (float) (counts[j] * frequency + presence);
        }
        assertArrayEquals(expected, out[0], "float32 arithmetic, exactly as written here");
        // The same in real numbers: 2 - (2 * 0.5 + 0.3) = 0.7, -1.25 - (0.5 + 0.3) = -2.05; 1e-6 is float32 rounding.
        assertEquals(0.7, out[0][0], 1e-6);
        assertEquals(-2.05, out[0][1], 1e-6);
        assertBitsEqual(signedZero, out[1], "penalties 0: untouched");
        assertBitsEqual(scores, out[2], "prompt tokens do not count");
        assertArrayEquals(new float[] {2f, -1.25f, 3.7f, 3.1f, -0.4f}, out[3], "negative: 0.7 + 3 * 1 (exact)");
        assertBitsEqual(signedZero, Logits.read(logits)[1], "input untouched");
    }

    @Test
    void occurrencePenaltiesMakeNoTensorWhenNoRowPenalizes() {
        Tensor logits = Logits.of(new float[] {1f, 2f});
        List<SamplingSequence> rows = List.of(generatedRow(SamplingParams.defaults(), new int[] {1}, 0, 1),
                generatedRow(SamplingParams.defaults().withPresencePenalty(1), new int[] {1}));
        assertSame(logits, new OccurrencePenalties().process(logits, rows.subList(0, 1)));
        assertSame(logits, new OccurrencePenalties().process(logits, rows.subList(1, 2)), "nothing generated yet");
    }

    static void assertBitsEqual(float[] expected, float[] actual, String message) {
        int[] expectedBits = new int[expected.length];
        int[] actualBits = new int[actual.length];
        for (int i = 0; i < expected.length; i++) expectedBits[i] = Float.floatToRawIntBits(expected[i]);
        for (int i = 0; i < actual.length; i++) actualBits[i] = Float.floatToRawIntBits(actual[i]);
        assertArrayEquals(expectedBits, actualBits, message);
    }

    @Test
    void temperatureDividesSampledRowsOnly() {
        float[] scores = {2f, -2f, 1f};
        List<SamplingSequence> rows = List.of(row(SamplingParams.defaults().withTemperature(0.5)),
                row(SamplingParams.defaults().withTemperature(0)));
        float[][] out = Logits.read(new Temperature().process(Logits.of(scores, scores), rows));
        assertArrayEquals(new float[] {4f, -4f, 2f}, out[0]);
        assertArrayEquals(scores, out[1]);
        assertEquals(2, out.length);
    }
}
