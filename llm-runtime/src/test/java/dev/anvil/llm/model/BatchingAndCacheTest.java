package dev.anvil.llm.model;

import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Left-padded batches and the KV cache must not change any sequence's numbers. */
class BatchingAndCacheTest {

    /** float32 reorderings of the same sums only: 1e-5 on logits of size ~10. */
    static final double TOLERANCE = 1e-5;

    static LlamaModel model;
    static final long[][] PROMPTS = {
            {1, 72, 300, 45, 18, 99, 7, 401, 33},
            {1, 250, 12},
            {1, 5, 6, 7, 8, 9},
    };

    @BeforeAll
    static void load() {
        model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
    }

    static float[] single(long[] ids) {
        return Tensors.toFloats(model.forward(Golden.batchOf(ids), null));
    }

    @Test
    void paddedBatchEqualsEachSequenceAlone() {
        int len = Arrays.stream(PROMPTS).mapToInt(p -> p.length).max().orElseThrow();
        long[][] ids = new long[PROMPTS.length][len];
        long[][] mask = new long[PROMPTS.length][len];
        for (int r = 0; r < PROMPTS.length; r++) {
            int pad = len - PROMPTS[r].length;
            System.arraycopy(PROMPTS[r], 0, ids[r], pad, PROMPTS[r].length);
            Arrays.fill(mask[r], pad, len, 1);
        }
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float[] batched = Tensors.toFloats(model.forward(Tensors.longs(ids), Tensors.longs(mask)));
            int vocab = model.config().vocabSize();
            for (int r = 0; r < PROMPTS.length; r++) {
                float[] alone = single(PROMPTS[r]);
                int pad = len - PROMPTS[r].length;
                double max = 0;
                for (int t = 0; t < PROMPTS[r].length; t++) {
                    for (int v = 0; v < vocab; v++) {
                        float b = batched[((r * len) + pad + t) * vocab + v];
                        max = Math.max(max, Math.abs(b - alone[t * vocab + v]));
                    }
                }
                assertTrue(max < TOLERANCE, "row " + r + ": max diff " + max);
            }
        }
    }

    @Test
    void incrementalDecodingWithCacheEqualsFullForward() {
        long[] ids = PROMPTS[0];
        int vocab = model.config().vocabSize();
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float[] full = single(ids);
            KvCache cache = model.newCache(1, ids.length);
            int prefix = 4;
            List<float[]> parts = new ArrayList<>();
            parts.add(Tensors.toFloats(model.forward(Golden.batchOf(Arrays.copyOf(ids, prefix)), null, null, cache, null)));
            for (int t = prefix; t < ids.length; t++) {
                parts.add(Tensors.toFloats(model.forward(Golden.batchOf(new long[]{ids[t]}), null, null, cache, null)));
            }
            double max = 0;
            int pos = 0;
            for (float[] part : parts) {
                for (int i = 0; i < part.length; i++) max = Math.max(max, Math.abs(part[i] - full[pos * vocab + i]));
                pos += part.length / vocab;
            }
            assertTrue(pos == ids.length && max < TOLERANCE, "cached vs full: max diff " + max);
        }
    }

    @Test
    void badInputsAreRejectedClearly() {
        String msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.forward(Golden.batchOf(new long[]{1, 512}), null)).getMessage();
        assertTrue(msg.contains("token id 512 out of range [0, 512)"), msg);
        msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TokenGenerator(model).greedy(new long[]{1, 2}, 127)).getMessage();
        assertTrue(msg.contains("max_position_embeddings (128)"), msg);
    }

    @Test
    void batchedGenerationEqualsOneByOne() {
        TokenGenerator generator = new TokenGenerator(model);
        List<long[]> batched = generator.generate(Arrays.asList(PROMPTS), 12, TokenSelector.GREEDY, Set.of(), null);
        for (int r = 0; r < PROMPTS.length; r++) {
            assertArrayEquals(generator.greedy(PROMPTS[r], 12), batched.get(r), "prompt " + r);
        }
    }
}
