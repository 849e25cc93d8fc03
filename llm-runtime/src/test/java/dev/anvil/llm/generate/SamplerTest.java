package dev.anvil.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static final float[] PROBS = Logits.logOf(0.1, 0.2, 0.3, 0.4);

    static List<SamplingSequence> sequences(SamplingParams params, int count, long firstSeed) {
        List<SamplingSequence> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new SamplingSequence(params.withSeed(firstSeed + i), new int[0]));
        }
        return rows;
    }

    static Tensor repeated(float[] row, int count) {
        float[][] rows = new float[count][];
        java.util.Arrays.fill(rows, row);
        return Logits.of(rows);
    }

    @Test
    void greedyIsTheArgmaxOfThePenalizedScoresAndIsRecorded() {
        SamplingSequence plain = new SamplingSequence(SamplingParams.greedy(4), new int[] {0});
        SamplingSequence penalized = new SamplingSequence(SamplingParams.greedy(4).withRepetitionPenalty(2), new int[] {0});
        int[] tokens = Sampler.next(Logits.of(new float[] {3f, 2.5f, -1f}, new float[] {3f, 2.5f, -1f}),
                List.of(plain, penalized));
        assertArrayEquals(new int[] {0, 1}, tokens, "3 / 2 = 1.5 < 2.5 once token 0 is penalized");
        assertArrayEquals(new int[] {0, 0}, plain.history());
        assertArrayEquals(new int[] {1}, penalized.generated());
    }

    @Test
    void greedyTakesPresencePenaltyOncePerGeneratedTokenAndIgnoresThePrompt() {
        SamplingSequence plain = new SamplingSequence(SamplingParams.greedy(3), new int[] {0});
        SamplingSequence penalized = new SamplingSequence(SamplingParams.greedy(3).withPresencePenalty(0.6),
                new int[] {0});
        float[] scores = {3f, 2.5f, -1f};
        for (int step = 0; step < 3; step++) {
            Sampler.next(Logits.of(scores, scores), List.of(plain, penalized));
        }
        assertArrayEquals(new int[] {0, 0, 0}, plain.generated());
        // Step 1: the prompt's 0 does not count, 3 wins. Step 2: 3 - 0.6 = 2.4 < 2.5. Step 3: 2.4 > 2.5 - 0.6.
        assertArrayEquals(new int[] {0, 1, 0}, penalized.generated());
    }

    @Test
    void temperatureNearZeroEqualsArgmax() {
        float[] scores = {0.2f, 1.0f, 0.9f, -3f};
        List<SamplingSequence> rows = sequences(SamplingParams.defaults().withTemperature(1e-3), 200, 0);
        int[] tokens = Sampler.next(repeated(scores, 200), rows);
        for (int token : tokens) {
            assertEquals(1, token);
        }
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() {
        int[] first = run(sequences(SamplingParams.defaults(), 1, 42), 60);
        int[] again = run(sequences(SamplingParams.defaults(), 1, 42), 60);
        int[] other = run(sequences(SamplingParams.defaults(), 1, 43), 60);
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other));
    }

    @Test
    void aSeededSequenceDrawsTheSameTokensInAnyBatch() {
        SamplingParams params = SamplingParams.defaults().withTopK(3).withTemperature(0.8).withSeed(7);
        int[] alone = run(List.of(new SamplingSequence(params, new int[0])), 40);

        SamplingSequence target = new SamplingSequence(params, new int[0]);
        List<SamplingSequence> batch = List.of(
                new SamplingSequence(SamplingParams.greedy(100), new int[0]),
                new SamplingSequence(SamplingParams.defaults().withSeed(1).withTopP(0.5), new int[0]),
                target,
                new SamplingSequence(SamplingParams.defaults().withRepetitionPenalty(1.3), new int[] {3, 2}));
        run(batch, 40);
        assertArrayEquals(alone, target.generated());
    }

    private static int[] run(List<SamplingSequence> rows, int steps) {
        for (int i = 0; i < steps; i++) {
            Sampler.next(repeated(PROBS, rows.size()), rows);
        }
        return rows.get(0).generated();
    }

    /**
     * 20,000 draws; each frequency has a standard deviation of at most sqrt(0.25 / 20000) = 0.0035, the tolerance
     * 0.015 is more than 4 of them.
     */
    @Test
    void drawsFollowTheDistributionAfterWarping() {
        assertFrequencies(SamplingParams.defaults(), new double[] {0.1, 0.2, 0.3, 0.4});
        // top_k 2 keeps 0.3 and 0.4; temperature 0.5 squares them: 0.09 : 0.16.
        assertFrequencies(SamplingParams.defaults().withTopK(2).withTemperature(0.5), new double[] {0, 0, 0.36, 0.64});
        // top_p 0.6 keeps 0.4 and 0.3 (0.7 is the smallest mass reaching 0.6), renormalised.
        assertFrequencies(SamplingParams.defaults().withTopP(0.6), new double[] {0, 0, 3 / 7.0, 4 / 7.0});
    }

    private static void assertFrequencies(SamplingParams params, double[] expected) {
        int rowsPerStep = 400;
        int steps = 50;
        List<SamplingSequence> rows = sequences(params.withMaxTokens(steps), rowsPerStep, 1000);
        int[] counts = new int[expected.length];
        Tensor logits = repeated(PROBS, rowsPerStep);
        for (int s = 0; s < steps; s++) {
            for (int token : Sampler.next(logits, rows)) {
                counts[token]++;
            }
        }
        double total = rowsPerStep * steps;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], counts[i] / total, 0.015, "token " + i + " of " + params);
        }
        assertTrue(rows.get(0).reachedMaxTokens());
    }

    @Test
    void rejectsMismatchedShapesAndNaN() {
        List<SamplingSequence> one = sequences(SamplingParams.defaults(), 1, 0);
        assertThrows(IllegalArgumentException.class, () -> Sampler.next(Logits.of(PROBS, PROBS), one));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Sampler.next(Logits.of(new float[] {0f, Float.NaN}), one));
        assertTrue(e.getMessage().contains("NaN"));
        List<SamplingSequence> outside = List.of(
                new SamplingSequence(SamplingParams.greedy(4).withRepetitionPenalty(1.2), new int[] {2, 9}));
        e = assertThrows(IllegalArgumentException.class, () -> Sampler.next(Logits.of(PROBS), outside));
        assertTrue(e.getMessage().contains("token 9"), e.getMessage());
    }
}
