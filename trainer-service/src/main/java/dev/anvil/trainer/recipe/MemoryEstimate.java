package dev.anvil.trainer.recipe;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.ParameterLayout;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.quant.Nf4Options;
import dev.anvil.llm.torch.DType;

/**
 * The memory a fine-tuning job needs at its peak, by part, computed from the model's shape and the request alone
 * (no weights read, no libtorch), so that a job that cannot fit is refused before any work.
 *
 * <p>The peak of a step is at the start of backward: every tensor of the forward pass is still alive (the step's
 * native scope frees them only when it closes) while the loss's gradient over the vocabulary is being formed.
 * The parts, for micro-batch {@code B}, sequence length {@code T} (the request's, capped at the model's context),
 * {@code L} layers, hidden size {@code d}, {@code s} bytes per value of the compute dtype:
 * <ul>
 *   <li>{@code base weights}: projections the method quantizes in NF4 (4 bits per weight, a double-quantized
 *       absmax byte per block of 64, an fp32 per 256 blocks), everything else at {@code s} bytes;</li>
 *   <li>{@code LoRA adapters}, {@code gradients}, {@code AdamW state}: the trainable tensors (fp32 adapters, or
 *       every weight for full fine-tuning) once, once more for their gradients, twice for the two moments;</li>
 *   <li>{@code NF4 dequantized weights}: the weights {@code Nf4Linear} dequantizes in the forward pass, kept for
 *       backward (qlora only);</li>
 *   <li>{@code activations}: {@code B T L} times the bytes one token leaves behind in one layer (norms, projection
 *       outputs, LoRA's dropout masks and low-rank products, rotary, attention output, SwiGLU), counted tensor by
 *       tensor in {@link #layerBytesPerToken} and scaled by {@link #ACTIVATION_CALIBRATION}, measured;</li>
 *   <li>{@code attention scores}: one layer's {@code B H T T} scores and probabilities, the working memory of
 *       attention when the fused kernel is not used (measured on CPU: libtorch's fused kernel keeps none);</li>
 *   <li>{@code logits and loss}: {@code B T V} logits, their log-softmax and the two gradients backward forms;</li>
 *   <li>{@code runtime}: libtorch, the JVM and the service, a fixed {@link #RUNTIME_BYTES}.</li>
 * </ul>
 * For qlora the dense checkpoint is loaded before it is quantized: when that {@code loading} peak is above the
 * step's, it is the estimate.
 */
public final class MemoryEstimate {

    /** One named share of the estimate. */
    public record Part(String name, long bytes) {}

    /** libtorch's libraries and pools, the JVM and the service around the recipe; measured, see docs/benchmarks.md. */
    static final long RUNTIME_BYTES = 320L << 20;

    /** Measured over counted bytes of the per-layer activations (allocator rounding, rotary tables, masks). */
    static final double ACTIVATION_CALIBRATION = 1.0;

    private static final int FP32 = Float.BYTES;

    private final List<Part> stepParts;
    private final Part loading;

    private MemoryEstimate(List<Part> stepParts, Part loading) {
        this.stepParts = List.copyOf(stepParts);
        this.loading = loading;
    }

    /**
     * @param hp the request's hyper-parameters ({@link Hyperparameters#withDefaults} is applied here); the
     *           sequence length counts at most the model's context, as the recipe runs it
     */
    public static MemoryEstimate of(ModelConfig model, TrainingMethod method, Hyperparameters hp) {
        Hyperparameters h = hp.withDefaults();
        Shape s = new Shape(model, method, h);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("base weights", s.baseWeightBytes()));
        if (method != TrainingMethod.FULL) parts.add(new Part("LoRA adapters", s.trainableBytes()));
        parts.add(new Part("gradients", s.trainableBytes()));
        parts.add(new Part("AdamW state", 2 * s.trainableBytes()));
        if (method == TrainingMethod.QLORA) parts.add(new Part("NF4 dequantized weights", s.dequantizedBytes()));
        parts.add(new Part("activations", s.activationBytes()));
        parts.add(new Part("attention scores", s.attentionScoreBytes()));
        parts.add(new Part("logits and loss", s.logitBytes()));
        parts.add(new Part("runtime", RUNTIME_BYTES));
        Part loading = new Part("loading", s.denseWeightBytes() + RUNTIME_BYTES);
        return new MemoryEstimate(parts, loading);
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
        return loading.bytes();
    }

    /** The job's peak: the larger of the step's and the loading peak. */
    public long totalBytes() {
        return Math.max(stepBytes(), loadingBytes());
    }

    /** "2.61 GiB at the training step: base weights 38.3 MiB + ... (loading the base model: 0.40 GiB)". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(human(totalBytes()));
        boolean loadingPeak = loadingBytes() > stepBytes();
        b.append(loadingPeak ? " while loading the dense base model (" + human(loadingBytes()) + "); the training step: "
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

        Shape(ModelConfig c, TrainingMethod method, Hyperparameters h) {
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

        long dequantizedBytes() {
            long perLayer = 0;
            for (ProjectionKind k : targets) perLayer += numel(k.weightShape(c));
            return perLayer * c.numLayers() * s;
        }

        long activationBytes() {
            double layers = layerBytesPerToken() * ACTIVATION_CALIBRATION * c.numLayers();
            long perToken = Math.round(layers) + (long) s * c.hiddenSize() /* embedding */
                    + normBytes(c.hiddenSize()) /* final norm */ + ropeBytes();
            return perToken * tokens();
        }

        /**
         * The bytes one token leaves in one decoder layer until the step ends, tensor by tensor as
         * {@code LlamaModel} and {@code LoraAdapter} create them.
         */
        long layerBytesPerToken() {
            long d = c.hiddenSize();
            long q = (long) c.numHeads() * c.headDim();
            long kv = (long) c.numKvHeads() * c.headDim();
            long attention = normBytes(d)
                    + projectionBytes(ProjectionKind.Q) + projectionBytes(ProjectionKind.K)
                    + projectionBytes(ProjectionKind.V)
                    + rotaryBytes(q) + rotaryBytes(kv)
                    + (c.kvGroups() > 1 ? 2L * s * q : 0)      // K and V repeated for grouped heads
                    + (long) s * q + (long) FP32 * c.numHeads() // attention output, log-sum-exp
                    + (long) s * q                              // heads merged back (a copy)
                    + projectionBytes(ProjectionKind.O)
                    + (long) s * d;                             // residual
            long f = c.intermediateSize();
            long mlp = normBytes(d)
                    + projectionBytes(ProjectionKind.GATE) + (long) s * f // SiLU
                    + projectionBytes(ProjectionKind.UP) + (long) s * f   // gate * up
                    + projectionBytes(ProjectionKind.DOWN)
                    + (long) s * d;                                       // residual
            return attention + mlp;
        }

        /** RMSNorm: computed in fp32 (a cast in and out for a 16-bit dtype), then scaled. */
        long normBytes(long width) {
            long castIn = s == FP32 ? 0 : (long) FP32 * width;
            long castOut = s == FP32 ? 0 : (long) s * width;
            return castIn + (long) FP32 * width + castOut + (long) s * width;
        }

        /** {@code x cos + rotate(x) sin}: half negated, the rotated copy, two products and their sum. */
        long rotaryBytes(long width) {
            return (long) s * (width / 2 + 4 * width);
        }

        /** Per-token cos and sin tables (fp32, then in the compute dtype). */
        long ropeBytes() {
            long hd = c.headDim();
            return FP32 * (hd / 2 + 3 * hd) + (s == FP32 ? 0 : 2L * s * hd);
        }

        /**
         * A projection's output; with a LoRA adapter also its input in fp32, LoRA dropout's output and mask, the
         * rank-sized and output-sized products, the scaled delta (back in the compute dtype) and the sum.
         */
        long projectionBytes(ProjectionKind k) {
            long[] shape = k.weightShape(c);
            long out = shape[0];
            long in = shape[1];
            long bytes = (long) s * out;
            if (!targets.contains(k)) return bytes;
            if (s != FP32) bytes += (long) FP32 * in + (long) s * out;
            if (dropout) bytes += 2L * FP32 * in;
            return bytes + FP32 * (rank + 2 * out) + (long) s * out;
        }

        long attentionScoreBytes() {
            return 2L * s * batch * c.numHeads() * seq * seq;
        }

        /** Logits, fp32 for the loss, log-softmax, and backward's gradients of both. */
        long logitBytes() {
            long v = c.vocabSize();
            long perToken = (long) s * v + (s == FP32 ? 0 : (long) FP32 * v) + 3L * FP32 * v;
            return perToken * tokens();
        }
    }
}
