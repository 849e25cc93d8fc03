package dev.anvil.llm.quant;

import java.util.Arrays;

import dev.anvil.llm.model.Linear;
import dev.anvil.llm.model.Projection;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A frozen linear layer whose weight is stored in NF4, as QLoRA's base model: {@code y = x W^T + b}.
 * The weight is dequantized on every call, in the dtype of the input, and dropped after it: memory stays at
 * about 4.1 bits per weight between calls. Gradients flow to {@code x} (so LoRA adapters beside this layer
 * train) but never to the weight or the bias, which are not autograd leaves.
 *
 * <p>Known cost: when {@code x} requires grad, autograd keeps the dequantized weight (2 bytes per weight in
 * bf16) until backward, since {@code grad_x = grad_y W} needs it. bitsandbytes avoids that with a custom
 * autograd function that dequantizes again in backward; libtorch's {@code autograd::Function} is a C++ template
 * the Java bindings do not expose.
 */
public final class Nf4Linear implements Projection {

    private final Nf4Tensor weight;
    /** [outFeatures] or null; detached so that it never requires grad. */
    private final Tensor bias;

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
    }

    /** {@code x} [..., inFeatures] in float32, bfloat16 or float16 to [..., outFeatures] in the same dtype. */
    public Tensor forward(Tensor x) {
        ScalarType dtype = Tensors.requireFloating(x.scalar_type(), "Nf4Linear input dtype");
        if (x.dim() == 0 || x.size(-1) != inFeatures()) {
            throw new IllegalArgumentException("Nf4Linear input must be [..., " + inFeatures() + "], got "
                    + Arrays.toString(Tensors.shape(x)));
        }
        Tensor w = weight.dequantize(dtype);
        return bias == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(bias.to(dtype)));
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
