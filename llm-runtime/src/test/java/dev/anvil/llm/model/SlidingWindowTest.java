package dev.anvil.llm.model;

import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mistral's sliding window. In a one-layer model a token with window w sees exactly the last w tokens, and rotary
 * attention depends only on relative positions, so its logits must equal those of the last position of a forward
 * pass over just those w tokens.
 */
class SlidingWindowTest {

    static final int WINDOW = 4;
    static final double TOLERANCE = 1e-5;
    static final long[] IDS = {1, 17, 230, 99, 4, 311, 78, 45, 12, 500};

    static LlamaModel model(int window) {
        ModelConfig c = new ModelConfig("mistral", 64, 1, 4, 2, 16, 160, 512, 1e-6, false, false, false, 256,
                RopeConfig.plain(10000), window, 1, List.of(2), "float32");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        // Larger than the usual 0.02 init so that attention patterns visibly matter.
        RandomCheckpoint.tensors(c, DType.FLOAT32, 3).forEach((name, t) ->
                weights.put(name, name.endsWith("norm.weight") ? t : t.mul(new Scalar(10))));
        return LlamaModel.fromTensors(c, weights, LoadOptions.defaults());
    }

    static float[] lastRow(float[] logits, int rows) {
        int v = logits.length / rows;
        return Arrays.copyOfRange(logits, (rows - 1) * v, rows * v);
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void eachTokenSeesOnlyTheLastWindowTokens() {
        LlamaModel windowed = model(WINDOW);
        LlamaModel unlimited = model(0);
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float[] full = Tensors.toFloats(windowed.forward(dev.anvil.llm.testing.Golden.batchOf(IDS), null));
            float[] noWindow = Tensors.toFloats(unlimited.forward(dev.anvil.llm.testing.Golden.batchOf(IDS), null));
            int v = 512;
            for (int t = WINDOW; t < IDS.length; t++) {
                long[] slice = Arrays.copyOfRange(IDS, t - WINDOW + 1, t + 1);
                float[] alone = lastRow(Tensors.toFloats(windowed.forward(dev.anvil.llm.testing.Golden.batchOf(slice), null)), WINDOW);
                float[] atT = Arrays.copyOfRange(full, t * v, (t + 1) * v);
                assertTrue(maxDiff(alone, atT) < TOLERANCE, "position " + t + ": " + maxDiff(alone, atT));
                assertTrue(maxDiff(Arrays.copyOfRange(noWindow, t * v, (t + 1) * v), atT) > 1e-3, "window has an effect at " + t);
            }
            // The cached, token-by-token path applies the same window.
            KvCache cache = windowed.newCache(1, IDS.length);
            for (int t = 0; t < IDS.length; t++) {
                float[] step = Tensors.toFloats(windowed.forward(dev.anvil.llm.testing.Golden.batchOf(new long[]{IDS[t]}),
                        null, null, cache, null));
                double d = maxDiff(step, Arrays.copyOfRange(full, t * v, (t + 1) * v));
                assertTrue(d < TOLERANCE, "cached step " + t + ": " + d);
            }
        }
    }
}
