package dev.anvil.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.quant.QuantizedBase;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training steps on the real aidreams260K model: LoRA over NF4 (QLoRA), full fine-tuning, exact resume, memory. */
class TrainStepTest {

    private static final Path MODEL = Golden.model("aidreams260K");
    private static final long[] PATTERN = {1, 45, 300, 72, 18, 99, 401, 7};

    /** Two rows of a repeated 8-token pattern, the second shifted by 3; 48 tokens each. */
    static TrainBatch patternBatch() {
        long[][] ids = new long[2][48];
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 48; t++) ids[r][t] = PATTERN[(t + 3 * r) % PATTERN.length];
        }
        return TrainBatch.languageModelling(ids);
    }

    private static LlamaModel qloraModel() {
        LlamaModel model = LlamaModel.load(MODEL, LoadOptions.defaults());
        QuantizedBase.quantize(model, QuantizedBase.ALL_PROJECTIONS);
        return model;
    }

    private static LoraAdapter adapter(LlamaModel model, double dropout) {
        LoraAdapter adapter = LoraAdapter.create("train", model.config(),
                LoraConfig.of(8, 16, dropout, LoraConfig.allProjections()), 7);
        adapter.attachTo(model);
        adapter.setTraining(true);
        return adapter;
    }

    private static TrainStep loraStep(LlamaModel model, LoraAdapter adapter) {
        return new TrainStep(model, new AdamWOptimizer(adapter.parameters(), AdamWOptimizer.Settings.defaults()
                .withWeightDecay(0.0)), 11);
    }

    /**
     * QLoRA learns a repeated pattern: 40 steps at lr 1e-2 take the loss from 10.6 (the pattern is far from
     * aidreams' text) to 2.8 as measured; asserted: below 30 % of the first step's. 2.76 is the floor for this
     * model with a frozen head: logits are a frozen, tied embedding times the output of a frozen RMSNorm, so their
     * spread is bounded (full fine-tuning, which moves both, reaches 0.01 in 60 steps; LoRA over a dense base
     * stops at the same 2.76). Only adapter tensors ever get gradients: the NF4 base has no autograd leaves and
     * the dense rest of the base stays frozen.
     */
    @Test
    void loraOverNf4LearnsARepeatedPattern() {
        LlamaModel model = qloraModel();
        LoraAdapter adapter = adapter(model, 0.05);
        TrainBatch batch = patternBatch();
        try (NativeScope s = new NativeScope()) {
            CausalLmLoss.of(model.forward(batch.inputIds(), null), batch.labels()).backward();
            adapter.parameters().forEach((name, p) -> assertTrue(p.grad().defined(), "gradient of " + name));
            model.namedParameters().forEach((name, p) -> assertFalse(p.requires_grad(), name + " is frozen"));
        }
        TrainStep step = loraStep(model, adapter);
        step.optimizer().zeroGrad();
        double first = 0;
        double last = 0;
        for (int i = 0; i < 40; i++) {
            TrainStep.Result r = step.run(batch, 1e-2);
            if (i == 0) first = r.loss();
            last = r.loss();
            assertEquals(94, r.targetTokens());
        }
        System.out.printf("QLoRA pattern: loss %.3f -> %.3f in 40 steps%n", first, last);
        assertTrue(last < 0.3 * first, "loss " + first + " -> " + last);
    }

    @Test
    void fullFineTuningUpdatesBaseWeights() {
        LlamaModel model = LlamaModel.load(MODEL, LoadOptions.defaults().withTrainable(true));
        Map<String, Tensor> params = model.namedParameters();
        Tensor q = params.get("model.layers.1.self_attn.q_proj.weight");
        float[] before = Tensors.toFloats(q);
        TrainStep step = new TrainStep(model, new AdamWOptimizer(params, AdamWOptimizer.Settings.defaults()), 1);
        TrainStep.Result first = step.run(patternBatch(), 1e-3);
        TrainStep.Result second = step.run(patternBatch(), 1e-3);
        float[] after = Tensors.toFloats(q);
        double moved = 0;
        for (int i = 0; i < before.length; i++) moved = Math.max(moved, Math.abs(after[i] - before[i]));
        // Adam's first steps move every weight with a gradient by about lr.
        assertTrue(moved > 5e-4 && moved < 3e-3, "largest change of q_proj " + moved);
        assertTrue(second.loss() < first.loss(), first.loss() + " -> " + second.loss());
    }

    /**
     * Reproducible and resumable (LoRA dropout on, so the per-step seeding matters): two runs give bit-identical
     * adapters, and 4 steps + save + load into fresh objects + 4 steps equal 8 straight steps (asserted within
     * 1e-6 as asked; measured bit-identical).
     */
    @Test
    void runsAreReproducibleAndResumeExactly(@TempDir Path dir) {
        float[] straight = train(8, null, null);
        assertEquals(0, maxDiff(straight, train(8, null, null)), "two runs, same seed");

        Path adapterDir = dir.resolve("adapter");
        Path optimizerFile = dir.resolve("optimizer.pt");
        train(4, adapterDir, null);
        assertTrue(Files.isRegularFile(optimizerFile.resolveSibling("adapter").resolve("adapter_model.safetensors")));
        float[] resumed = train(4, null, adapterDir);
        double diff = maxDiff(straight, resumed);
        System.out.println("resume vs straight: max |diff| " + diff);
        assertTrue(diff <= 1e-6, "resumed adapter differs by " + diff);
    }

    /** Trains {@code steps} steps; saves adapter + optimizer to {@code saveTo}, or starts from {@code resumeFrom}. */
    private static float[] train(int steps, Path saveTo, Path resumeFrom) {
        LlamaModel model = qloraModel();
        LoraAdapter adapter;
        if (resumeFrom == null) {
            adapter = adapter(model, 0.1);
        } else {
            adapter = LoraAdapter.load(resumeFrom, "train");
            makeTrainable(adapter);
            adapter.attachTo(model);
            adapter.setTraining(true);
        }
        TrainStep step = loraStep(model, adapter);
        if (resumeFrom != null) step.optimizer().load(resumeFrom.resolveSibling("optimizer.pt"));
        for (int i = 0; i < steps; i++) step.run(patternBatch(), 5e-3);
        if (saveTo != null) {
            adapter.save(saveTo);
            step.optimizer().save(saveTo.resolveSibling("optimizer.pt"));
        }
        // By name: an adapter read from its file lists its tensors in another order than a fresh one.
        List<Float> all = new ArrayList<>();
        for (Tensor p : new TreeMap<>(adapter.parameters()).values()) for (float f : Tensors.toFloats(p)) all.add(f);
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    private static void makeTrainable(LoraAdapter adapter) {
        adapter.parameters().values().forEach(p -> p.requires_grad_(true));
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /**
     * Native memory stays flat over many training steps. RSS also holds the Java heap, which touches fresh pages of
     * its committed space as garbage accumulates until its first collections (about 0.2 MB of JavaCPP wrappers per
     * step here; TrainStepBenchmark's 1,000-step run shows RSS level off once the heap has cycled). So the bound:
     * from step 50 to step 300, RSS may grow by at most what this thread allocated on the Java heap meanwhile plus
     * 16 MB. A missing scope per step leaks megabytes per step (notes: 150 MB per step on a larger model) and fails it.
     */
    @Test
    void residentMemoryStaysFlatOverManySteps() throws Exception {
        LlamaModel model = qloraModel();
        LoraAdapter adapter = adapter(model, 0.05);
        TrainStep step = loraStep(model, adapter);
        TrainBatch batch = patternBatch();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long settledRss = 0;
        long settledJava = 0;
        for (int i = 1; i <= 300; i++) {
            step.run(batch, 1e-3);
            if (i == 50) {
                settledRss = ResidentMemory.bytes();
                settledJava = threads.getThreadAllocatedBytes(thread);
            }
        }
        long grown = ResidentMemory.bytes() - settledRss;
        long javaAllocated = threads.getThreadAllocatedBytes(thread) - settledJava;
        System.out.printf("250 steps: RSS +%d MB, Java heap allocations %d MB%n", grown >> 20, javaAllocated >> 20);
        assertTrue(grown < javaAllocated + (16L << 20), "RSS grew by " + (grown >> 20) + " MB, more than the "
                + (javaAllocated >> 20) + " MB the Java heap took + 16 MB");
    }
}
