package dev.anvil.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWOptimizerTest {

    /**
     * Two updates of one weight against AdamW's formula (Loshchilov and Hutter; torch.optim.AdamW):
     * {@code w -= lr * wd * w; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
     * Distinct betas catch the binding's reversed tuple; the clipped second gradient checks clipping. float32: 1e-6.
     */
    @Test
    void updatesFollowAdamWWithClippingAndAPerStepLearningRate() {
        double b1 = 0.8, b2 = 0.95, eps = 1e-6, wd = 0.1, clip = 1.0;
        AdamWOptimizer.Settings settings = new AdamWOptimizer.Settings(b1, b2, eps, wd, clip);
        try (NativeScope s = new NativeScope()) {
            Tensor w = Tensors.floats(new float[] {1.0f}, 1).requires_grad_(true);
            AdamWOptimizer opt = new AdamWOptimizer(Map.of("w", w), settings);
            double expected = 1.0, m = 0, v = 0;
            double[] grads = {0.5, -3.0};
            double[] lrs = {0.1, 0.05};
            for (int t = 1; t <= 2; t++) {
                w.mul(Tensors.floats(new float[] {(float) grads[t - 1]}, 1)).sum().backward();
                double g = grads[t - 1];
                double norm = opt.step(lrs[t - 1]);
                assertEquals(Math.abs(g), norm, 1e-6, "norm before clipping");
                g = g * Math.min(1.0, clip / (Math.abs(g) + 1e-6));
                double lr = lrs[t - 1];
                expected -= lr * wd * expected;
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                expected -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
                assertEquals(expected, w.item_double(), 1e-6, "after step " + t);
                assertTrue(!w.grad().defined(), "gradients are dropped after the update");
            }
            assertEquals(2, opt.steps());
        }
    }

    @Test
    void stateLoadsOnlyOntoTheSameParameters(@TempDir Path dir) {
        try (NativeScope s = new NativeScope()) {
            Tensor a = Tensors.floats(new float[] {1f, 2f}, 2).requires_grad_(true);
            AdamWOptimizer opt = new AdamWOptimizer(Map.of("a", a), AdamWOptimizer.Settings.defaults());
            Path file = dir.resolve("optimizer.pt");
            opt.save(file);
            AdamWOptimizer other = new AdamWOptimizer(Map.of("b", a), AdamWOptimizer.Settings.defaults());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(file));
            assertTrue(e.getMessage().contains("(first: a)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> other.load(dir.resolve("missing.pt")));
            Tensor frozen = Tensors.floats(new float[] {1f}, 1);
            assertThrows(IllegalArgumentException.class,
                    () -> new AdamWOptimizer(Map.of("frozen", frozen), AdamWOptimizer.Settings.defaults()));
        }
    }
}
