package dev.anvil.trainer.testing;

import java.util.Arrays;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/** Comparing models by their logits on one row of token ids, as the export and reload tests do. */
public final class Logits {

    private Logits() {
    }

    /** The logits of {@code model} for {@code ids} (one sequence, no padding), without autograd. */
    public static float[] of(LlamaModel model, int[] ids) {
        long[] row = Arrays.stream(ids).asLongStream().toArray();
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(Tensors.longs(new long[][] {row}), null);
            return Tensors.toFloats(logits);
        }
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /** The largest logit difference between two models on {@code ids}. */
    public static double maxAbsDiff(LlamaModel a, LlamaModel b, int[] ids) {
        return maxAbsDiff(of(a, ids), of(b, ids));
    }
}
