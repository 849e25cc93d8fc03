package dev.anvil.llm.quant;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.anvil.llm.model.Linear;
import dev.anvil.llm.model.Projection;
import dev.anvil.llm.torch.NativeScope;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A frozen linear layer whose weight is stored in NF4, as QLoRA's base model: {@code y = x W^T + b}.
 * Gradients flow to {@code x} (so LoRA adapters beside this layer train) but never to the weight or the bias,
 * which are not autograd leaves.
 *
 * <p>Without a gradient to form (inference, or an input that does not require grad) the weight is dequantized
 * into a fresh tensor for the call and dropped after it. When {@code x} requires grad, backward needs
 * {@code grad_x = grad_y W}; keeping each layer's dequantized weight until then would hold the whole dense model
 * (4 bytes per weight in fp32) during every step. Instead, as bitsandbytes does, the weight is dequantized into a
 * buffer shared by the layers of one model ({@link DequantScratch}, one per weight size and dtype) and dequantized
 * into it again by a hook that runs just before this product's backward: a step holds a few dense weights, not
 * all, and reuses the same memory every time. Not thread-safe while training: one model, one training thread.
 */
public final class Nf4Linear implements Projection {

    private final Nf4Tensor weight;
    /** [outFeatures] or null; detached so that it never requires grad. */
    private final Tensor bias;
    private final DequantScratch scratch;
    /** One hook per dtype trained in, kept as long as this layer: autograd calls it from native code. */
    private final Map<ScalarType, Redequantize> hooks = new ConcurrentHashMap<>();

    /** Quantizes an [out, in] weight with QLoRA's options; no bias. */
    public Nf4Linear(Tensor weight) {
        this(Nf4Tensor.quantize(weight, Nf4Options.QLORA), null);
    }

    /** Quantizes an [out, in] weight with QLoRA's options; {@code bias} [out] is kept as it is (detached). */
    public Nf4Linear(Tensor weight, Tensor bias) {
        this(Nf4Tensor.quantize(weight, Nf4Options.QLORA), bias);
    }

    /** Wraps an already quantized [out, in] weight, e.g. one read with {@link Nf4Tensor#fromState}. */
    public Nf4Linear(Nf4Tensor weight, Tensor bias) {
        this(weight, bias, new DequantScratch());
    }

    /** As {@link #Nf4Linear(Nf4Tensor, Tensor)}, training with the dequantization buffers of {@code scratch}. */
    Nf4Linear(Nf4Tensor weight, Tensor bias, DequantScratch scratch) {
        long[] shape = weight.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("Nf4Linear weight must be 2-D [out, in], got " + Arrays.toString(shape));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != shape[0])) {
            throw new IllegalArgumentException("Nf4Linear bias must be [" + shape[0] + "], got "
                    + Arrays.toString(Tensors.shape(bias)));
        }
        this.weight = weight;
        this.bias = bias == null ? null : Tensors.keep(bias.detach());
        this.scratch = scratch;
    }

    /** {@code x} [..., inFeatures] in float32, bfloat16 or float16 to [..., outFeatures] in the same dtype. */
    public Tensor forward(Tensor x) {
        ScalarType dtype = Tensors.requireFloating(x.scalar_type(), "Nf4Linear input dtype");
        if (x.dim() == 0 || x.size(-1) != inFeatures()) {
            throw new IllegalArgumentException("Nf4Linear input must be [..., " + inFeatures() + "], got "
                    + Arrays.toString(Tensors.shape(x)));
        }
        if (!GradMode.is_enabled() || !x.requires_grad()) {
            Tensor w = weight.dequantize(dtype);
            return bias == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(bias.to(dtype)));
        }
        return forwardForBackward(x, dtype);
    }

    /**
     * The product over the shared buffer, with the hook that refills the buffer with this layer's weight right
     * before the product's backward node runs (a tensor hook on the product's output is that node's pre-hook).
     * Written as {@code linear} computes it for a 2-D input (addmm with a bias, mm without), so the values equal
     * the other path's.
     */
    private Tensor forwardForBackward(Tensor x, ScalarType dtype) {
        Redequantize hook = hooks.computeIfAbsent(dtype,
                d -> NativeScope.retain(new Redequantize(scratch.get(weight.paddedNumel(), d, weight.device()))));
        hook.refill();
        Tensor w = weight.unpadded(hook.buffer.alias());
        long[] shape = Tensors.shape(x);
        Tensor rows = x.reshape(-1, inFeatures());
        Tensor y = bias == null ? rows.mm(w.t()) : torch.addmm(bias.to(dtype), rows, w.t());
        y.register_hook(hook);
        shape[shape.length - 1] = outFeatures();
        return y.view(shape);
    }

    /** Dequantizes this layer's weight into its shared buffer. */
    private final class Redequantize extends VoidTensorHook {
        final DequantScratch.Buffer buffer;

        Redequantize(DequantScratch.Buffer buffer) {
            this.buffer = buffer;
        }

        void refill() {
            weight.dequantizeInto(buffer.flat());
        }

        @Override
        public void call(TensorBase gradient) {
            // Runs inside backward (autograd's thread); its temporaries must not join that thread's open scope.
            try (PointerScope scope = new PointerScope()) {
                refill();
            }
        }
    }

    /** As a decoder projection (QLoRA's frozen base; LoRA adapters wrap it as they wrap a dense one). */
    @Override
    public Tensor apply(Tensor x) {
        return forward(x);
    }

    public long inFeatures() {
        return weight.shape()[1];
    }

    public long outFeatures() {
        return weight.shape()[0];
    }

    /** The weight [out, in] in {@code dtype}, e.g. to merge a LoRA adapter into it. */
    public Tensor dequantize(ScalarType dtype) {
        return weight.dequantize(dtype);
    }

    public Nf4Tensor weight() {
        return weight;
    }

    /** The bias [out], or null. */
    public Tensor bias() {
        return bias;
    }

    /** A dense layer holding the dequantized weight in {@code dtype} (and the same bias), e.g. to merge into. */
    public Linear toLinear(ScalarType dtype) {
        Tensor w = Tensors.keep(weight.dequantize(dtype));
        return new Linear(w, bias == null ? null : Tensors.keep(bias.to(dtype)));
    }

    /** Bytes of quantized state plus the bias. */
    public long bytesUsed() {
        return weight.bytesUsed() + (bias == null ? 0 : bias.nbytes());
    }

    @Override
    public String toString() {
        return "Nf4Linear(" + inFeatures() + " -> " + outFeatures() + (bias == null ? ", no bias" : "") + ")";
    }
}
