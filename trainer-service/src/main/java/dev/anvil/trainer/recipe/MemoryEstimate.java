package dev.anvil.trainer.recipe;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.ParameterLayout;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.quant.Nf4Options;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.DType;

/**
 * The memory a fine-tuning job needs at its peak, by part, computed from the model's shape and the request alone
 * (no weights read, no libtorch), so that a job that cannot fit is refused before any work.
 *
 * <p>A step's peak is at the start of backward: everything autograd saved in the forward pass is alive (each
 * layer's other temporaries were freed as it ended) while the loss's gradient over the vocabulary is formed. The
 * parts, for micro-batch {@code B}, sequence length {@code T} (the request's, capped at the model's context) and
 * {@code s} bytes per value of the compute dtype:
 * <ul>
 *   <li>{@code base weights}: projections the method quantizes in NF4 (4 bits per weight, a double-quantized
 *       absmax byte per block of 64, an fp32 per 256 blocks), everything else at {@code s} bytes;</li>
 *   <li>{@code LoRA adapters}, {@code gradients}, {@code AdamW state}: the trainable tensors (fp32 adapters, or
 *       every weight for full fine-tuning) once, once more for their gradients, twice for the two moments;</li>
 *   <li>{@code NF4 dequantization buffers} (qlora): one dense weight per distinct size, shared by the layers;</li>
 *   <li>{@code activations}: {@code B T} times what one token leaves for backward in every layer (counted tensor
 *       by tensor in {@code layerBytesPerToken}), the final norm's input and the rotary tables, times a
 *       calibration measured on the CPU ({@link #CPU_ACTIVATION_CALIBRATION}): the allocator's share;</li>
 *   <li>{@code attention scores}: one layer's {@code B H T T} scores and probabilities, the working memory of
 *       attention where the fused kernel is not used (on the CPU, libtorch's fused kernel keeps none);</li>
 *   <li>{@code logits and loss}: {@code 3 B T V} fp32 values, the log-softmax and backward's two gradients;</li>
 *   <li>{@code runtime}: libtorch, the JVM and the service, a fixed {@link #RUNTIME_BYTES} (on a GPU, read it as
 *       the CUDA context's share).</li>
 * </ul>
 * For qlora the dense checkpoint is loaded before it is quantized: when that {@code loading} peak is above the
 * step's, it is the estimate. docs/trainer-recipe.md explains the parts, docs/benchmarks.md how they were measured.
 */
public final class MemoryEstimate {

    /** One named share of the estimate. */
    public record Part(String name, long bytes) {}

    /**
     * libtorch, the JVM and the service around the recipe: 507-513 MB of RSS measured on the service's class path
     * with libtorch loaded, before any model (docs/benchmarks.md).
     */
    static final long RUNTIME_BYTES = 512L << 20;

    /**
     * Peak over counted activation bytes on the CPU, measured (docs/benchmarks.md): counted bytes match the live
     * peak within 3% when freed memory goes straight back to the system, but glibc's allocator keeps freed
     * blocks for reuse, and the step's pattern of allocations fragments them: after 16 steps the 15M and 110M
     * benchmarks peaked at 1.9 and 2.1 times the counted activations.
     */
    static final double CPU_ACTIVATION_CALIBRATION = 2.0;

    /** Not measured here (no GPU): the counted bytes; CUDA's caching allocator rounds blocks but reuses them. */
    static final double CUDA_ACTIVATION_CALIBRATION = 1.0;

    private static final int FP32 = Float.BYTES;

    private final List<Part> stepParts;
    private final long loadingBytes;

    private MemoryEstimate(List<Part> stepParts, long loadingBytes) {
        this.stepParts = List.copyOf(stepParts);
        this.loadingBytes = loadingBytes;
    }

    /**
     * @param hp     the request's hyper-parameters ({@link Hyperparameters#withDefaults} is applied here); the
     *               sequence length counts at most the model's context, as the recipe runs it
     * @param device where the job trains: the allocator's share of the activations differs
     */
    public static MemoryEstimate of(ModelConfig model, TrainingMethod method, Hyperparameters hp,
            ComputeDevice.Kind device) {
        Hyperparameters h = hp.withDefaults();
        Shape s = new Shape(model, method, h, activationCalibration(device));
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("base weights", s.baseWeightBytes()));
        if (method != TrainingMethod.FULL) parts.add(new Part("LoRA adapters", s.trainableBytes()));
        parts.add(new Part("gradients", s.trainableBytes()));
        parts.add(new Part("AdamW state", 2 * s.trainableBytes()));
        if (method == TrainingMethod.QLORA) {
            parts.add(new Part("NF4 dequantization buffers", s.dequantizationBufferBytes()));
        }
        parts.add(new Part("activations", s.activationBytes()));
        parts.add(new Part("attention scores", s.attentionScoreBytes()));
        parts.add(new Part("logits and loss", s.logitBytes()));
        parts.add(new Part("runtime", RUNTIME_BYTES));
        return new MemoryEstimate(parts, s.denseWeightBytes() + RUNTIME_BYTES);
    }

    static double activationCalibration(ComputeDevice.Kind device) {
        return device == ComputeDevice.Kind.CUDA ? CUDA_ACTIVATION_CALIBRATION : CPU_ACTIVATION_CALIBRATION;
    }

    /** The parts of the training step's peak, in order. */
    public List<Part> parts() {
        return stepParts;
    }

    /** The bytes of the part named {@code name}; fails for a name not in {@link #parts()}. */
    public long bytes(String name) {
        return stepParts.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part '" + name + "'")).bytes();
    }

    /** The training step's peak: the sum of {@link #parts()}. */
    public long stepBytes() {
        return stepParts.stream().mapToLong(Part::bytes).sum();
    }

    /** The peak while the base model is loaded (dense, before any quantization) with the runtime. */
    public long loadingBytes() {
        return loadingBytes;
    }

    /** The job's peak: the larger of the step's and the loading peak. */
    public long totalBytes() {
        return Math.max(stepBytes(), loadingBytes());
    }

    /**
     * "3.29 GiB at the training step: base weights 136 MiB + ... + runtime 512 MiB (loading the dense base model:
     * 930 MiB)", or, when loading is the peak, "... while loading the dense base model; the training step: ...".
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(human(totalBytes()));
        boolean loadingPeak = loadingBytes() > stepBytes();
        b.append(loadingPeak ? " while loading the dense base model; the training step " + human(stepBytes()) + ": "
                : " at the training step: ");
        for (int i = 0; i < stepParts.size(); i++) {
            if (i > 0) b.append(" + ");
            b.append(stepParts.get(i).name()).append(' ').append(human(stepParts.get(i).bytes()));
        }
        if (!loadingPeak) b.append(" (loading the dense base model: ").append(human(loadingBytes())).append(')');
        return b.toString();
    }

    /** Binary units, three significant digits: "24.0 GiB", "512 MiB", "1.50 KiB". */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) return bytes + " B";
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    /** Bytes of one weight of {@code numel} values in NF4 with QLoRA's double-quantized block scales. */
    static long nf4Bytes(long numel) {
        Nf4Options o = Nf4Options.QLORA;
        long blocks = ceilDiv(numel, o.blockSize());
        long codes = blocks * o.blockSize() / 2;
        long scales = blocks + ceilDiv(blocks, o.scaleBlockSize()) * FP32 + FP32; // codes, nested absmax, offset
        return codes + scales;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The request's sizes and the per-part arithmetic. */
    private static final class Shape {
        final ModelConfig c;
        final TrainingMethod method;
        final Set<ProjectionKind> targets;
        final long batch;
        final long seq;
        final long rank;
        final boolean dropout;
        /** Bytes per value of the compute dtype. */
        final int s;
        final double calibration;

        Shape(ModelConfig c, TrainingMethod method, Hyperparameters h, double calibration) {
            this.calibration = calibration;
            this.c = c;
            this.method = method;
            this.targets = EnumSet.noneOf(ProjectionKind.class);
            if (method != TrainingMethod.FULL) h.targetModules().forEach(n -> targets.add(ProjectionKind.fromHfName(n)));
            this.batch = h.microBatchSize();
            this.seq = Math.min(h.maxSeqLength(), c.maxPositions());
            this.rank = h.loraRank();
            this.dropout = h.loraDropout() > 0;
            this.s = DType.parse(h.computeDtype()) == DType.BFLOAT16 ? 2 : FP32;
        }

        long tokens() {
            return batch * seq;
        }

        boolean quantized(ProjectionKind k) {
            return method == TrainingMethod.QLORA && targets.contains(k);
        }

        long numel(long[] shape) {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        /** Every weight at the compute dtype, as the checkpoint is loaded. */
        long denseWeightBytes() {
            return ParameterLayout.of(c).values().stream().mapToLong(this::numel).sum() * s;
        }

        long baseWeightBytes() {
            long bytes = 0;
            for (Map.Entry<String, long[]> e : ParameterLayout.of(c).entrySet()) {
                long n = numel(e.getValue());
                ProjectionKind kind = projectionWeight(e.getKey());
                bytes += kind != null && quantized(kind) ? nf4Bytes(n) : n * s;
            }
            return bytes;
        }

        /** The projection whose weight (not bias) {@code name} is, or null. */
        static ProjectionKind projectionWeight(String name) {
            for (ProjectionKind k : ProjectionKind.values()) {
                if (name.endsWith("." + k.hfName() + ".weight")) return k;
            }
            return null;
        }

        /** Adapter tensors in fp32, or every weight (at the compute dtype) for full fine-tuning. */
        long trainableBytes() {
            if (method == TrainingMethod.FULL) return denseWeightBytes();
            long perLayer = 0;
            for (ProjectionKind k : targets) {
                long[] shape = k.weightShape(c);
                perLayer += rank * (shape[0] + shape[1]);
            }
            return perLayer * c.numLayers() * FP32;
        }

        /** One buffer per distinct weight size in the compute dtype ({@code Nf4Linear}'s shared buffers). */
        long dequantizationBufferBytes() {
            Set<Long> sizes = new TreeSet<>();
            for (ProjectionKind k : targets) {
                long blocks = ceilDiv(numel(k.weightShape(c)), Nf4Options.QLORA.blockSize());
                sizes.add(blocks * Nf4Options.QLORA.blockSize());
            }
            return sizes.stream().mapToLong(n -> n * s).sum();
        }

        long activationBytes() {
            long perToken = layerBytesPerToken() * c.numLayers() + normBytes() /* final norm */ + ropeBytes();
            return Math.round(perToken * tokens() * calibration);
        }

        /**
         * The bytes autograd keeps for backward per token of one decoder layer (each layer's other temporaries are
         * freed as it ends), tensor by tensor as {@code LlamaModel} and {@code LoraAdapter} create them: two
         * RMSNorm inputs, the LoRA inputs (dropout outputs and masks) and rank-sized products, what attention
         * saves (rotated q and k, v, its output, the log-sum-exp) and SwiGLU's three inputs. Frozen products save
         * nothing per token: their gradient needs only the weight.
         */
        long layerBytesPerToken() {
            long d = c.hiddenSize();
            long q = (long) c.numHeads() * c.headDim();
            long kv = (long) c.numKvHeads() * c.headDim();
            long f = c.intermediateSize();
            long lora = loraBytes(EnumSet.of(ProjectionKind.Q, ProjectionKind.K, ProjectionKind.V), d)
                    + loraBytes(EnumSet.of(ProjectionKind.O), q)
                    + loraBytes(EnumSet.of(ProjectionKind.GATE, ProjectionKind.UP), d)
                    + loraBytes(EnumSet.of(ProjectionKind.DOWN), f);
            long keys = c.kvGroups() > 1 ? q : kv; // grouped heads: attention saves the repeated copies
            long attention = (long) s * q + 2L * s * keys + (long) s * q + (long) FP32 * c.numHeads();
            long mlp = 3L * s * f;
            return 2 * normBytes() + lora + attention + mlp;
        }

        /** RMSNorm keeps its input in fp32 and one fp32 reciprocal root per token. */
        long normBytes() {
            return (long) FP32 * c.hiddenSize() + FP32;
        }

        /** The rotary cos and sin tables, kept by the products that apply them. */
        long ropeBytes() {
            return 2L * s * c.headDim();
        }

        /**
         * LoRA on the projections of {@code group}, which share one input of width {@code in}: with dropout, each
         * keeps its dropout output (A's input) and mask in fp32; without, A keeps its input: the shared tensor
         * itself in fp32, or each adapter's own fp32 copy of a 16-bit one. B keeps A's rank-sized output.
         */
        long loraBytes(Set<ProjectionKind> group, long in) {
            long adapters = group.stream().filter(targets::contains).count();
            if (adapters == 0) return 0;
            long inputs = dropout ? adapters * 2L * FP32 * in : s == FP32 ? (long) FP32 * in : adapters * FP32 * in;
            return inputs + adapters * FP32 * rank;
        }

        long attentionScoreBytes() {
            return 2L * s * batch * c.numHeads() * seq * seq;
        }

        /**
         * The loss's fp32 log-softmax over the vocabulary, kept for backward, and the two gradients backward forms
         * from it (of the log-probabilities, then of the logits) while it is still alive: the step's peak. The
         * logits themselves are freed before backward.
         */
        long logitBytes() {
            return 3L * FP32 * c.vocabSize() * tokens();
        }
    }
}
