package dev.anvil.llm.quant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@link Nf4Linear} forward against a dense matmul of the same shape. The load average is printed too: on a
 * shared machine the best time says more than the median.
 *
 * <pre>
 * mvn -o -q -pl llm-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1 java -cp llm-runtime/target/classes:llm-runtime/target/test-classes:$(cat llm-runtime/target/cp.txt) \
 *     dev.anvil.llm.quant.Nf4Benchmark [out in]
 * </pre>
 * The default layer is 4096 x 4096 (a Llama-2-7B attention projection).
 */
public final class Nf4Benchmark {

    /** Each measurement repeats until this much time has passed (after a warm-up), and reports the median. */
    private static final double MIN_SECONDS = 1.0;
    private static final int MIN_RUNS = 5;
    private static final int MAX_RUNS = 200;

    private Nf4Benchmark() {
    }

    public static void main(String[] args) throws IOException {
        long out = args.length >= 2 ? Long.parseLong(args[0]) : 4096;
        long in = args.length >= 2 ? Long.parseLong(args[1]) : 4096;
        torch.manual_seed(0);
        System.out.printf("NF4 benchmark: layer %d x %d (%.1fM weights), torch threads %d, %d CPUs%n",
                out, in, out * in / 1e6, torch.get_num_threads(), Runtime.getRuntime().availableProcessors());
        System.out.printf("env OMP_WAIT_POLICY=%s THP_MEM_ALLOC_ENABLE=%s; load average at start: %s%n",
                System.getenv("OMP_WAIT_POLICY"), System.getenv("THP_MEM_ALLOC_ENABLE"), loadAverage());
        System.out.println("times: best / median of >= " + MIN_RUNS + " runs after 2 warm-ups");

        Tensor weight = keep(torch.randn(out, in).mul(new Scalar(0.02)));
        long n = weight.numel();

        Tensor big = keep(torch.randn(1024, in));
        Timing matmul = time(() -> torch.linear(big, weight));
        double flops = 2.0 * 1024 * out * in;
        System.out.printf("fp32 matmul [1024 x %d] x [%d x %d]^T: %s, %.1f GFLOP/s (best), %.1f (median)%n",
                in, out, in, matmul, flops / matmul.best() / 1e9, flops / matmul.median() / 1e9);

        Timing quantize = time(() -> Nf4Tensor.quantize(weight, Nf4Options.QLORA));
        System.out.printf("quantize fp32 -> NF4 (double quant): %s, %.0f M weights/s (best)%n",
                quantize, n / quantize.best() / 1e6);

        Nf4Linear layer = new Nf4Linear(weight);
        System.out.println(layer.weight());
        for (ScalarType type : new ScalarType[] {ScalarType.Float, ScalarType.BFloat16}) {
            Timing t = time(() -> layer.dequantize(type));
            int bytes = type == ScalarType.Float ? 4 : 2;
            System.out.printf("dequantize NF4 -> %s: %s, %.0f M weights/s, %.2f GB/s written (best)%n",
                    type, t, n / t.best() / 1e6, (double) bytes * n / t.best() / 1e9);
        }

        System.out.println("forward y = x W^T, x [tokens x in]: Nf4Linear (dequantize + matmul) vs dense matmul");
        for (long tokens : new long[] {1, 16, 128, 512}) {
            Tensor x = keep(torch.randn(tokens, in));
            compareForward("fp32", tokens, in, out, time(() -> torch.linear(x, weight)), time(() -> layer.forward(x)));
        }
        Tensor weightBf16 = keep(weight.to(ScalarType.BFloat16));
        Tensor xBf16 = keep(torch.randn(512, in).to(ScalarType.BFloat16));
        compareForward("bf16", 512, in, out, time(() -> torch.linear(xBf16, weightBf16)),
                time(() -> layer.forward(xBf16)));
        System.out.println("load average at end: " + loadAverage());
    }

    private static void compareForward(String type, long tokens, long in, long out, Timing dense, Timing nf4) {
        System.out.printf("  %s tokens %4d: dense %s (%.1f GFLOP/s), NF4 %s, ratio %.2fx (best), %.2fx (median)%n",
                type, tokens, dense, 2.0 * tokens * in * out / dense.best() / 1e9, nf4, nf4.best() / dense.best(),
                nf4.median() / dense.median());
    }

    record Timing(double best, double median) {
        @Override
        public String toString() {
            return String.format("%.2f / %.2f ms", best * 1e3, median * 1e3);
        }
    }

    /** Best and median seconds of {@code op}, each run inside its own scope so that native memory stays flat. */
    private static Timing time(Supplier<Object> op) {
        for (int i = 0; i < 2; i++) {
            try (PointerScope scope = new PointerScope()) {
                op.get();
            }
        }
        double[] runs = new double[MAX_RUNS];
        int count = 0;
        double total = 0;
        while (count < MAX_RUNS && (count < MIN_RUNS || total < MIN_SECONDS)) {
            try (PointerScope scope = new PointerScope()) {
                long start = System.nanoTime();
                op.get();
                runs[count] = (System.nanoTime() - start) / 1e9;
            }
            total += runs[count++];
        }
        double[] done = Arrays.copyOf(runs, count);
        Arrays.sort(done);
        return new Timing(done[0], done[count / 2]);
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        return Files.isReadable(proc) ? Files.readString(proc).trim() : "n/a";
    }

    private static Tensor keep(Tensor t) {
        return Tensors.keep(t);
    }
}
