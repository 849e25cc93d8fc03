package dev.anvil.llm.quant;

import java.util.Arrays;
import java.util.function.Supplier;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Micro-benchmark of NF4 on this machine's CPU (not a unit test). Prints, in one run:
 * the fp32 matmul rate as a yardstick, quantization and dequantization throughput, and the time of an
 * {@link Nf4Linear} forward against a dense matmul of the same shape.
 *
 * <pre>
 * mvn -o -q -pl llm-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * OMP_WAIT_POLICY=PASSIVE java -cp llm-runtime/target/classes:llm-runtime/target/test-classes:$(cat llm-runtime/target/cp.txt) \
 *     dev.anvil.llm.quant.Nf4Benchmark [out in]
 * </pre>
 * The default layer is 4096 x 4096 (a Llama-2-7B attention projection).
 */
public final class Nf4Benchmark {

    /** Each measurement repeats until this much time has passed (after a warm-up), and reports the median. */
    private static final double MIN_SECONDS = 1.0;
    private static final int MIN_RUNS = 5;

    private Nf4Benchmark() {
    }

    public static void main(String[] args) {
        long out = args.length >= 2 ? Long.parseLong(args[0]) : 4096;
        long in = args.length >= 2 ? Long.parseLong(args[1]) : 4096;
        torch.manual_seed(0);
        System.out.printf("NF4 benchmark: layer %d x %d (%.1fM weights), torch threads %d, %d CPUs, OMP_WAIT_POLICY=%s%n",
                out, in, out * in / 1e6, torch.get_num_threads(), Runtime.getRuntime().availableProcessors(),
                System.getenv("OMP_WAIT_POLICY"));

        Tensor weight = keep(torch.randn(out, in).mul(new Scalar(0.02)));
        long n = weight.numel();

        double gflops = 2.0 * 1024 * out * in / 1e9;
        Tensor big = keep(torch.randn(1024, in));
        double matmul = seconds(() -> torch.linear(big, weight));
        System.out.printf("fp32 matmul [1024 x %d] x [%d x %d]: %.2f ms, %.1f GFLOP/s%n", in, in, out,
                matmul * 1e3, gflops / matmul);

        double quantize = seconds(() -> Nf4Tensor.quantize(weight, Nf4Options.QLORA));
        System.out.printf("quantize fp32 -> NF4 (double quant): %.1f ms, %.1f M weights/s, %.2f GB/s of fp32 read%n",
                quantize * 1e3, n / quantize / 1e6, 4.0 * n / quantize / 1e9);

        Nf4Linear layer = new Nf4Linear(weight);
        System.out.println(layer.weight());
        for (ScalarType type : new ScalarType[] {ScalarType.Float, ScalarType.BFloat16}) {
            double t = seconds(() -> layer.dequantize(type));
            int bytes = type == ScalarType.Float ? 4 : 2;
            System.out.printf("dequantize NF4 -> %s: %.2f ms, %.0f M weights/s, %.2f GB/s written (%.2f GB/s NF4 read)%n",
                    type, t * 1e3, n / t / 1e6, (double) bytes * n / t / 1e9,
                    layer.weight().bytesUsed() / t / 1e9);
        }

        System.out.println("forward y = x W^T, x [tokens x in]: Nf4Linear (dequantize + matmul) vs dense fp32");
        for (long tokens : new long[] {1, 16, 128, 512}) {
            Tensor x = keep(torch.randn(tokens, in));
            double dense = seconds(() -> torch.linear(x, weight));
            double nf4 = seconds(() -> layer.forward(x));
            System.out.printf("  tokens %4d: dense %8.3f ms (%6.1f GFLOP/s), NF4 %8.3f ms, ratio %5.2fx%n",
                    tokens, dense * 1e3, 2.0 * tokens * in * out / dense / 1e9, nf4 * 1e3, nf4 / dense);
        }
        Tensor weightBf16 = keep(weight.to(ScalarType.BFloat16));
        Tensor xBf16 = keep(torch.randn(512, in).to(ScalarType.BFloat16));
        double denseBf16 = seconds(() -> torch.linear(xBf16, weightBf16));
        double nf4Bf16 = seconds(() -> layer.forward(xBf16));
        System.out.printf("  bf16 tokens 512: dense %8.3f ms (%6.1f GFLOP/s), NF4 %8.3f ms, ratio %5.2fx%n",
                denseBf16 * 1e3, 2.0 * 512 * in * out / denseBf16 / 1e9, nf4Bf16 * 1e3, nf4Bf16 / denseBf16);
    }

    /** Median seconds of {@code op}, each run inside its own scope so that native memory stays flat. */
    private static double seconds(Supplier<Object> op) {
        for (int i = 0; i < 2; i++) {
            try (PointerScope scope = new PointerScope()) {
                op.get();
            }
        }
        double[] runs = new double[1000];
        int count = 0;
        double total = 0;
        while (count < runs.length && (count < MIN_RUNS || total < MIN_SECONDS)) {
            try (PointerScope scope = new PointerScope()) {
                long start = System.nanoTime();
                op.get();
                runs[count] = (System.nanoTime() - start) / 1e9;
            }
            total += runs[count++];
        }
        double[] done = Arrays.copyOf(runs, count);
        Arrays.sort(done);
        return done[count / 2];
    }

    private static Tensor keep(Tensor t) {
        return Tensors.keep(t);
    }
}
