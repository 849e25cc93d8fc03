package dev.anvil.llm.torch;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The plain fp32 matmul rate of this machine on the current thread settings: the hardware reference the benchmarks
 * state their FLOP/s against, measured in the same run so that load and thread count apply to both.
 */
public final class MatmulRate {
    private static final int N = 2048;

    private MatmulRate() {
    }

    /** FLOP/s of the best of three {@code 2048^3} fp32 products, after one warm-up. */
    public static double fp32FlopsPerSecond() {
        try (NativeScope scope = new NativeScope()) {
            Tensor a = torch.randn(N, N);
            Tensor b = torch.randn(N, N);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                try (NativeScope inner = new NativeScope()) {
                    long t0 = System.nanoTime();
                    a.matmul(b).sum().item_float();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (i > 0) best = Math.min(best, seconds);
                }
            }
            return 2.0 * N * N * N / best;
        }
    }
}
