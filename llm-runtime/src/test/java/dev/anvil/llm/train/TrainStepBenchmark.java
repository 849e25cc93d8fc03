package dev.anvil.llm.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;


import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.model.RandomCheckpoint;
import dev.anvil.llm.model.RopeConfig;
import dev.anvil.llm.quant.ModelQuantizer;
import dev.anvil.llm.quant.QuantizedCheckpoint;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.MatmulRate;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Torch;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * LoRA and QLoRA training-step throughput on random-weight Llama shapes, against this machine's fp32 matmul rate
 * measured in the same process (not a unit test). One shape and mode per process, so that peak RSS is that
 * mode's:
 * <pre>
 * mvn -o -q -pl llm-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * CP=llm-runtime/target/classes:llm-runtime/target/test-classes:$(cat llm-runtime/target/cp.txt)
 * export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1
 * java -cp $CP dev.anvil.llm.train.TrainStepBenchmark /tmp/bench prepare          # writes the checkpoints once
 * java -cp $CP dev.anvil.llm.train.TrainStepBenchmark /tmp/bench 110M lora         # or qlora; 15M; steps
 * java -cp $CP dev.anvil.llm.train.TrainStepBenchmark /tmp/bench 15M qlora memory 1000
 * </pre>
 *
 * <p>FLOPs per trained token, for a frozen base of {@code N} matmul weights (projections and LM head; the
 * embedding lookup is no matmul) with LoRA weights {@code N_lora}: the base costs 2N forward and 2N backward (the
 * gradient of its input; no weight gradient), LoRA 6 N_lora, attention scores 12 L d T as in PaLM's count
 * (4 L d T forward, twice that backward): {@code 4N + 6 N_lora + 12 L d T}. Utilisation is that rate over the
 * measured fp32 matmul rate; NF4 dequantization counts as overhead, not as FLOPs.
 */
public final class TrainStepBenchmark {

    record Shape(String name, ModelConfig config, int batch, int seqLen) {}

    static final List<Shape> SHAPES = List.of(
            new Shape("110M", config(768, 12, 12, 2048), 4, 256),
            new Shape("15M", config(288, 6, 6, 768), 8, 256));

    static ModelConfig config(int dim, int layers, int heads, int ffn) {
        return new ModelConfig("llama", dim, layers, heads, heads, dim / heads, ffn, 32000, 1e-5, true, false, false,
                1024, RopeConfig.plain(10000), 0, 1, List.of(2), "float32");
    }

    private static final LoraConfig LORA = LoraConfig.of(16, 32, 0.05, LoraConfig.allProjections());

    private TrainStepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        PrintStream out = System.out;
        Torch.init();
        out.printf("threads: torch %d, blas %d, OMP_WAIT_POLICY=%s THP_MEM_ALLOC_ENABLE=%s; load average %s%n",
                Torch.threadLayout().torchThreads(), Torch.threadLayout().blasThreads(),
                System.getenv("OMP_WAIT_POLICY"), System.getenv("THP_MEM_ALLOC_ENABLE"), loadAverage());
        if (args[1].equals("prepare")) {
            for (Shape s : SHAPES) prepare(work, s);
            return;
        }
        Shape shape = SHAPES.stream().filter(s -> s.name().equals(args[1])).findFirst().orElseThrow();
        boolean qlora = args[2].equals("qlora");
        if (args.length > 3 && args[3].equals("memory")) {
            memory(work, shape, qlora, Integer.parseInt(args[4]));
            return;
        }
        LlamaModel model = load(work, shape, qlora);
        LoraAdapter adapter = LoraAdapter.create("bench", shape.config(), LORA, 1);
        adapter.attachTo(model);
        adapter.setTraining(true);
        TrainStep step = new TrainStep(model, new AdamWOptimizer(adapter.parameters(),
                AdamWOptimizer.Settings.defaults().withWeightDecay(0)), 1);
        TrainBatch batch = randomBatch(shape);
        step.run(batch, 1e-4); // warm-up: allocator, optimizer state
        // Matmul and step measured alternately, so that both see the same (shared, changing) machine.
        int steps = 3;
        double best = Double.MAX_VALUE;
        double matmul = 0;
        for (int i = 0; i < steps; i++) {
            matmul = Math.max(matmul, matmulFlops());
            long t0 = System.nanoTime();
            step.run(batch, 1e-4);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        out.printf("fp32 matmul 2048^3: %.1f GFLOP/s (best of %d x 3, between the steps)%n", matmul / 1e9, steps);
        long tokens = (long) shape.batch() * shape.seqLen();
        ModelConfig c = shape.config();
        long base = matmulWeights(c);
        long lora = adapter.parameters().values().stream().mapToLong(Tensor::numel).sum();
        double attention = 12.0 * c.numLayers() * c.hiddenSize() * shape.seqLen();
        double perToken = 4.0 * base + 6.0 * lora + attention;
        double achieved = perToken * tokens / best;
        out.printf("%s %s: batch %d x %d, base matmul weights %.1fM, LoRA %.2fM (r %d, all 7 projections)%n",
                shape.name(), qlora ? "QLoRA (NF4 base)" : "LoRA (fp32 base)", shape.batch(), shape.seqLen(),
                base / 1e6, lora / 1e6, LORA.r());
        out.printf("  step %.3f s (best of %d), %.0f tokens/s, %.1f GFLOP/step (4N %.1f + 6N_lora %.2f + attn %.1f)%n",
                best, steps, tokens / best, perToken * tokens / 1e9, 4.0 * base * tokens / 1e9,
                6.0 * lora * tokens / 1e9, attention * tokens / 1e9);
        out.printf("  achieved %.1f GFLOP/s = %.2f of the matmul rate; peak RSS %d MB; load average %s%n",
                achieved / 1e9, achieved / matmul, ResidentMemory.peakBytes() >> 20, loadAverage());
    }

    /** Projections of every layer plus the LM head. */
    static long matmulWeights(ModelConfig c) {
        long perLayer = 0;
        for (ProjectionKind k : ProjectionKind.values()) {
            long[] s = k.weightShape(c);
            perLayer += s[0] * s[1];
        }
        return perLayer * c.numLayers() + (long) c.vocabSize() * c.hiddenSize();
    }

    static void prepare(Path work, Shape s) {
        Path dense = work.resolve(s.name()).resolve("dense");
        Path nf4 = work.resolve(s.name()).resolve("nf4");
        if (!Files.isRegularFile(dense.resolve("config.json"))) RandomCheckpoint.write(dense, s.config(), DType.FLOAT32, 42);
        if (!Files.isRegularFile(nf4.resolve("config.json"))) {
            ModelQuantizer.run(new ModelQuantizer.Arguments(dense, nf4), System.out);
        }
    }

    static LlamaModel load(Path work, Shape s, boolean qlora) {
        Path dir = work.resolve(s.name()).resolve(qlora ? "nf4" : "dense");
        return qlora ? QuantizedCheckpoint.load(dir, LoadOptions.defaults()) : LlamaModel.load(dir, LoadOptions.defaults());
    }

    static TrainBatch randomBatch(Shape s) {
        try (NativeScope scope = new NativeScope()) {
            torch.manual_seed(5);
            Tensor ids = torch.randint(3, s.config().vocabSize(), new long[] {s.batch(), s.seqLen()},
                    new TensorOptions(torch.ScalarType.Long));
            return new TrainBatch(scope.keep(ids), ids, null);
        }
    }

    /** Resident memory over many steps of a small batch (2 x 64 tokens). */
    static void memory(Path work, Shape s, boolean qlora, int steps) throws Exception {
        LlamaModel model = load(work, s, qlora);
        LoraAdapter adapter = LoraAdapter.create("bench", s.config(), LORA, 1);
        adapter.attachTo(model);
        adapter.setTraining(true);
        TrainStep step = new TrainStep(model, new AdamWOptimizer(adapter.parameters(),
                AdamWOptimizer.Settings.defaults()), 1);
        TrainBatch batch = randomBatch(new Shape(s.name(), s.config(), 2, 64));
        long t0 = System.nanoTime();
        for (int i = 1; i <= steps; i++) {
            step.run(batch, 1e-4);
            if (i % (steps / 10) == 0 || i == 1) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf("step %5d: RSS %4d MB, Java heap used %3d MB of %3d MB committed, %.1f s%n", i,
                        ResidentMemory.bytes() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20,
                        rt.totalMemory() >> 20, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("peak RSS %d MB; load average %s%n", ResidentMemory.peakBytes() >> 20, loadAverage());
    }

    static double matmulFlops() {
        return MatmulRate.fp32FlopsPerSecond();
    }

    static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

}
