package dev.anvil.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class CausalLmLossTest {

    /** Logits at t predict the label at t + 1; -100 and padded positions do not count. Exact to 1e-6. */
    @Test
    void meanCrossEntropyOverUnmaskedShiftedTargets() {
        try (NativeScope s = new NativeScope()) {
            torch.manual_seed(3);
            Tensor logits = torch.randn(2, 4, 5);
            long[][] labels = {{-100, 3, 1, 4}, {0, -100, 2, 2}};
            Tensor mask = Tensors.longs(new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
            TrainBatch batch = new TrainBatch(Tensors.longs(new long[][] {{0, 1, 2, 3}, {0, 1, 2, 3}}),
                    Tensors.longs(labels), mask);
            // Counted: row 0 targets 3, 1, 4 (from positions 0, 1, 2); row 1 target 2 from position 1 only
            // (position 3 is padding, the -100 at 1 is not a target of position 0).
            float[] l = Tensors.toFloats(logits);
            double expected = (nll(l, 0, 0, 3) + nll(l, 0, 1, 1) + nll(l, 0, 2, 4) + nll(l, 1, 1, 2)) / 4;
            assertEquals(4, batch.targetTokens());
            assertEquals(expected, CausalLmLoss.of(logits, batch.labels()).item_double(), 1e-6);
        }
    }

    private static double nll(float[] logits, int row, int t, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < 5; v++) max = Math.max(max, logits[(row * 4 + t) * 5 + v]);
        double sum = 0;
        for (int v = 0; v < 5; v++) sum += Math.exp(logits[(row * 4 + t) * 5 + v] - max);
        return Math.log(sum) + max - logits[(row * 4 + t) * 5 + target];
    }

    @Test
    void badShapesAndNothingToLearnAreClearErrors() {
        try (NativeScope s = new NativeScope()) {
            Tensor logits = torch.randn(1, 3, 5);
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> CausalLmLoss.of(logits, Tensors.longs(new long[][] {{1, -100, -100}})));
            assertEquals("labels: every target position is -100, nothing to learn", none.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CausalLmLoss.of(logits, Tensors.longs(new long[][] {{1, 2}})));
            assertThrows(IllegalArgumentException.class, () -> new TrainBatch(Tensors.longs(new long[][] {{1, 2}}),
                    Tensors.longs(new long[][] {{1, 2, 3}}), null));
        }
    }
}
