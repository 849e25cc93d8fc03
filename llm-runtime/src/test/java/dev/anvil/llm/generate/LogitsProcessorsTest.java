package dev.anvil.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
