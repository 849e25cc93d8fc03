package dev.anvil.llm.quant;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.anvil.llm.model.Linear;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.Projection;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.model.Unwrappable;
import dev.anvil.llm.torch.NativeScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * QLoRA's base model: the chosen projections of every decoder layer become frozen {@link Nf4Linear}s
 * (double-quantized, blocks of 64, sharing their dequantization buffers while training), and their dense weights
 * are released. Embeddings, norms and the LM head stay
 * dense, as in QLoRA. LoRA adapters then attach over the NF4 projections exactly as over dense ones.
 *
 * <pre>{@code
 * LlamaModel model = LlamaModel.load(dir, LoadOptions.defaults());
 * QuantizedBase.Report report = QuantizedBase.quantize(model, QuantizedBase.ALL_PROJECTIONS);
 * LoraAdapter.create("task", model.config(), LoraConfig.of(16, 32, 0.05, targets), seed).attachTo(model);
 * }</pre>
 */
public final class QuantizedBase {

    public static final Set<ProjectionKind> ALL_PROJECTIONS =
            Collections.unmodifiableSet(EnumSet.allOf(ProjectionKind.class));

    private QuantizedBase() {
    }

    /**
     * Memory of a (partly) quantized model.
     *
     * @param quantizedParameters weights held in NF4
     * @param quantizedBytes      bytes of their NF4 state (codes, scales) and of their biases
     * @param totalParameters     every parameter of the model (tied embeddings counted once)
     * @param totalBytes          bytes of all of them, dense ones at their dtype's size
     */
    public record Report(long quantizedParameters, long quantizedBytes, long totalParameters, long totalBytes) {

        /** About 4.127 for QLoRA's settings on matrices of a multiple of 64 x 256 weights. */
        public double bitsPerQuantizedParameter() {
            return quantizedParameters == 0 ? 0 : 8.0 * quantizedBytes / quantizedParameters;
        }

        /** Over the whole model: dense embeddings, norms and LM head included. */
        public double bitsPerParameter() {
            return 8.0 * totalBytes / totalParameters;
        }

        @Override
        public String toString() {
            return String.format("%,d of %,d parameters in NF4: %.3f bits per quantized parameter, %.3f bits per "
                    + "parameter overall (%,d bytes)", quantizedParameters, totalParameters,
                    bitsPerQuantizedParameter(), bitsPerParameter(), totalBytes);
        }
    }

    /**
     * Replaces the dense {@code targets} projections of every layer with NF4 ones ({@link Nf4Options#QLORA}).
     * Projections already quantized are left as they are; one wrapped with adapters cannot be quantized (attach
     * adapters after quantizing).
     *
     * <p>The replaced dense weights are released at once (their tensors are emptied in place, and a weight mapped
     * from the checkpoint file is unmapped) rather than when the garbage collector gets to them, so memory drops
     * during the call: the caller must not use those tensors afterwards. For a model built with {@link LlamaModel#fromTensors} they are the caller's own tensors.
     */
    public static Report quantize(LlamaModel model, Set<ProjectionKind> targets) {
        return quantize(model, targets, Nf4Options.QLORA);
    }

    public static Report quantize(LlamaModel model, Set<ProjectionKind> targets, Nf4Options options) {
        DequantScratch scratch = new DequantScratch();
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (ProjectionKind kind : targets) {
                Projection p = model.projection(layer, kind);
                if (p instanceof Nf4Linear) continue;
                if (!(p instanceof Linear dense)) {
                    throw new IllegalStateException("cannot quantize " + kind.moduleName(layer) + ": it is a "
                            + p.getClass().getSimpleName() + ", not a dense projection (quantize before attaching adapters)");
                }
                try (NativeScope scope = new NativeScope(); NoGradGuard noGrad = new NoGradGuard()) {
                    Nf4Linear quantized = new Nf4Linear(Nf4Tensor.quantize(dense.weight(), options), dense.bias(),
                            scratch);
                    model.replaceProjection(layer, kind, old -> quantized);
                    dense.weight().set_();
                    // A weight loaded zero-copy stays resident through its file mapping until that is dropped too.
                    model.releaseStoredTensor(kind.moduleName(layer) + ".weight");
                }
            }
        }
        return report(model);
    }

    /** The memory report of {@code model} as it is now. */
    public static Report report(LlamaModel model) {
        long quantizedParams = 0;
        long quantizedBytes = 0;
        for (Nf4Linear q : quantizedProjections(model).values()) {
            quantizedParams += q.weight().numel() + (q.bias() == null ? 0 : q.bias().numel());
            quantizedBytes += q.bytesUsed();
        }
        long denseParams = 0;
        long denseBytes = 0;
        for (Tensor t : model.namedParameters().values()) {
            denseParams += t.numel();
            denseBytes += t.nbytes();
        }
        return new Report(quantizedParams, quantizedBytes, quantizedParams + denseParams, quantizedBytes + denseBytes);
    }

    /** The NF4 projections of {@code model} by module name, looking through adapters wrapped around them. */
    public static Map<String, Nf4Linear> quantizedProjections(LlamaModel model) {
        Map<String, Nf4Linear> out = new LinkedHashMap<>();
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                Projection p = model.projection(layer, kind);
                while (p instanceof Unwrappable u) p = u.base();
                if (p instanceof Nf4Linear q) out.put(kind.moduleName(layer), q);
            }
        }
        return out;
    }
}
