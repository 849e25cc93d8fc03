package dev.anvil.trainer.recipe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.model.RandomCheckpoint;
import dev.anvil.llm.model.RopeConfig;
import dev.anvil.llm.quant.QuantizedBase;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.MatmulRate;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Torch;
import dev.anvil.llm.train.AdamWOptimizer;
import dev.anvil.llm.train.TrainBatch;
import dev.anvil.llm.train.TrainStep;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * QLoRA training throughput and peak memory on random-weight Llama models of about 15M and 110M parameters,
 * against this machine's fp32 matmul rate and the recipe's {@link MemoryEstimate} (a main, not a test):
 * <pre>
 * mvn -o -q -pl trainer-service -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd trainer-service && OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1 \
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.anvil.trainer.recipe.QloraBenchmark \
 *   /tmp/bench-qlora [15M|110M ...] [--steps N]
 * </pre>
 * The parent writes the checkpoints once, then runs each shape in a fresh JVM so that each peak RSS (VmHWM) is that
 * shape's own. A child sets the model up as the recipe does for qlora (load the dense checkpoint, quantize the
 * target projections to NF4, attach a fresh LoRA adapter, AdamW) and runs training steps (forward, loss,
 * backward, AdamW) on random tokens, timing each and, between them, a plain fp32 matmul on the same threads.
 *
 * <p>FLOPs of a step, per token, for a frozen base of {@code N} matmul weights (every projection and the LM head;
 * the embedding lookup is no matmul) and {@code N_lora} adapter weights: the forward costs {@code 2N}, backward
 * the gradient of each base product's input {@code 2N} (a frozen weight needs no gradient of its own, so not
 * the {@code 6N} of full training), the adapters {@code 6 N_lora} (forward, input and weight gradients), and
 * attention {@code 12 L d T} as PaLM counts it (scores and weighted sum, twice again backward; causal masking
 * not discounted): {@code 4N + 6 N_lora + 12 L d T}. NF4 dequantization (twice per projection and step: forward
 * and again before its backward) counts as overhead, not as FLOPs.
 */
public final class QloraBenchmark {

    record Shape(String name, ModelConfig config, int batch, int seqLen) {}

    static final List<Shape> SHAPES = List.of(
            new Shape("15M", llama(288, 6, 6, 768, 256), 8, 256),
            new Shape("110M", llama(768, 12, 12, 2048, 1024), 4, 256));

    static final int RANK = 16;
    static final double ALPHA = 32;
    static final double DROPOUT = 0.05;
    static final Set<ProjectionKind> TARGETS = EnumSet.allOf(ProjectionKind.class);

    private QloraBenchmark() {
    }

    /** A Llama with the vocabulary of Llama 2 (32,000) and tied embeddings, as stories15M and stories110M. */
    static ModelConfig llama(int dim, int layers, int heads, int ffn, int context) {
        return new ModelConfig("llama", dim, layers, heads, heads, dim / heads, ffn, 32000, 1e-5, true, false, false,
                context, RopeConfig.plain(10000), 0, 1, List.of(2), "float32");
    }

    /** The request the estimate is computed for: the benchmark's batch, rank, dropout and targets, float32. */
    static Hyperparameters hyperparameters(Shape s) {
        List<String> targets = TARGETS.stream().map(ProjectionKind::hfName).toList();
        return new Hyperparameters(null, null, null, null, null, s.batch(), 1, s.seqLen(), false, null, RANK, ALPHA,
                DROPOUT, targets, 0.0, 1.0, 1L, null, null, null, null, null, "float32");
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        List<String> names = new ArrayList<>();
        int steps = 3;
        boolean child = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--child" -> child = true;
                default -> names.add(args[i]);
            }
        }
        List<Shape> shapes = names.isEmpty() ? SHAPES
                : names.stream().map(n -> SHAPES.stream().filter(s -> s.name().equals(n)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown shape " + n))).toList();
        if (child) {
            run(work, shapes.get(0), steps, System.out);
        } else {
            parent(work, shapes, steps);
        }
    }

    // ---------------------------------------------------------------- parent: one JVM per shape

    static void parent(Path work, List<Shape> shapes, int steps) throws Exception {
        Torch.init();
        System.out.printf("load average at start: %s%n", loadAverage());
        for (Shape s : shapes) {
            Path dir = checkpoint(work, s);
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                try (NativeScope scope = new NativeScope()) {
                    RandomCheckpoint.write(dir, s.config(), DType.FLOAT32, 42);
                }
            }
        }
        List<String> results = new ArrayList<>();
        for (Shape s : shapes) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), QloraBenchmark.class.getName(), work.toString(),
                    s.name(), "--steps", Integer.toString(steps), "--child"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(line);
                    if (line.startsWith("| ")) results.add(line);
                }
            }
            if (p.waitFor() != 0) throw new IllegalStateException("the " + s.name() + " run failed");
        }
        System.out.println();
        System.out.println("| shape | tokens/step | step (best) | tokens/s | achieved | matmul | share | peak RSS | estimate | estimate / peak |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        results.forEach(System.out::println);
        System.out.printf("load average at end: %s%n", loadAverage());
    }

    static Path checkpoint(Path work, Shape s) {
        return work.resolve(s.name());
    }

    // ---------------------------------------------------------------- child: one shape

    static void run(Path work, Shape s, int steps, PrintStream out) throws Exception {
        Torch.init();
        ModelConfig c = s.config();
        out.printf("%s: threads torch %d, blas %d; load average %s; RSS %d MB before loading%n", s.name(),
                Torch.threadLayout().torchThreads(), Torch.threadLayout().blasThreads(), loadAverage(), rss() >> 20);
        // The recipe's set-up for qlora: dense checkpoint, NF4 targets, a fresh adapter, AdamW.
        LlamaModel model = LlamaModel.load(checkpoint(work, s), LoadOptions.defaults().withDtype(DType.FLOAT32));
        QuantizedBase.Report report = QuantizedBase.quantize(model, TARGETS);
        LoraAdapter adapter = LoraAdapter.create("bench", c, LoraConfig.of(RANK, ALPHA, DROPOUT, TARGETS), 1);
        adapter.attachTo(model);
        adapter.setTraining(true);
        TrainStep step = new TrainStep(model, new AdamWOptimizer(adapter.parameters(),
                new AdamWOptimizer.Settings(0.9, 0.999, 1e-8, 0.0, 1.0)), 1);
        TrainBatch batch = randomBatch(s);
        // Loading libtorch over this long class path leaves about 350 MB of class-loader garbage in the Java heap;
        // collected here so that the peak measured is the training's, as in a service that has run a while.
        System.gc();
        out.printf("  %s%n  RSS %d MB after set-up, Java heap %d MB committed%n", report, rss() >> 20,
                Runtime.getRuntime().totalMemory() >> 20);

        step.run(batch, 1e-4); // warm-up: optimizer state, first-touch of buffers
        double[] seconds = new double[steps];
        double matmul = 0;
        for (int i = 0; i < steps; i++) {
            // Alternating, so that the matmul and the step see the same (shared, changing) machine.
            matmul = Math.max(matmul, matmulFlops());
            long t0 = System.nanoTime();
            step.run(batch, 1e-4);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            out.printf("  step %d: %.3f s, peak RSS so far %d MB, Java heap %d MB committed%n", i + 1, seconds[i],
                    peakRss() >> 20, Runtime.getRuntime().totalMemory() >> 20);
        }
        double best = Arrays.stream(seconds).min().orElseThrow();
        double median = Arrays.stream(seconds).sorted().toArray()[steps / 2];

        long tokens = (long) s.batch() * s.seqLen();
        long base = matmulWeights(c);
        long lora = adapter.parameters().values().stream().mapToLong(Tensor::numel).sum();
        double attention = 12.0 * c.numLayers() * c.hiddenSize() * s.seqLen();
        double perToken = 4.0 * base + 6.0 * lora + attention;
        double achieved = perToken * tokens / best;
        out.printf("  %d tokens per step; base matmul weights %.1fM, LoRA %.2fM (r %d, %d projections)%n", tokens,
                base / 1e6, lora / 1e6, RANK, TARGETS.size());
        out.printf("  step best %.3f s, median %.3f s; %.1f GFLOP/step (4N %.1f + 6N_lora %.2f + attention %.1f)%n",
                best, median, perToken * tokens / 1e9, 4.0 * base * tokens / 1e9, 6.0 * lora * tokens / 1e9,
                attention * tokens / 1e9);
        out.printf("  fp32 matmul 2048^3: %.1f GFLOP/s (best of %d, between the steps)%n", matmul / 1e9, steps);

        MemoryEstimate estimate = MemoryEstimate.of(c, TrainingMethod.QLORA, hyperparameters(s), ComputeDevice.Kind.CPU);
        long peak = peakRss();
        out.printf("  estimate: %s%n", estimate);
        out.printf("  peak RSS %d MB, estimate %d MB: estimate / peak = %.2f; load average %s%n", peak >> 20,
                estimate.totalBytes() >> 20, (double) estimate.totalBytes() / peak, loadAverage());
        out.printf("| %s QLoRA | %d | %.2f s | %.0f | %.1f GFLOP/s | %.1f GFLOP/s | **%.2f** | %d MB | %d MB | %.2f |%n",
                s.name(), tokens, best, tokens / best, achieved / 1e9, matmul / 1e9, achieved / matmul, peak >> 20,
                estimate.totalBytes() >> 20, (double) estimate.totalBytes() / peak);
    }

    /** Every projection of every layer plus the LM head: the products the frozen base runs. */
    static long matmulWeights(ModelConfig c) {
        long perLayer = 0;
        for (ProjectionKind k : ProjectionKind.values()) {
            long[] shape = k.weightShape(c);
            perLayer += shape[0] * shape[1];
        }
        return perLayer * c.numLayers() + (long) c.vocabSize() * c.hiddenSize();
    }

    static TrainBatch randomBatch(Shape s) {
        torch.manual_seed(5);
        Tensor ids = NativeScope.retain(torch.randint(3, s.config().vocabSize(), new long[] {s.batch(), s.seqLen()},
                new TensorOptions(torch.ScalarType.Long)));
        return new TrainBatch(ids, ids, null);
    }

    static double matmulFlops() {
        return MatmulRate.fp32FlopsPerSecond();
    }

    static long rss() throws IOException {
        return status().get("VmRSS:");
    }

    static long peakRss() throws IOException {
        return status().get("VmHWM:");
    }

    private static Map<String, Long> status() throws IOException {
        Map<String, Long> m = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                m.put(line.substring(0, 6), Long.parseLong(line.replaceAll("\\D", "")) * 1024);
            }
        }
        return m;
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
