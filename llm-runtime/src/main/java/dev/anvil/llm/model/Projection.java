package dev.anvil.llm.model;

import org.bytedeco.pytorch.Tensor;

/**
 * A learned linear map {@code [..., in] -> [..., out]}: a dense {@link Linear}, an NF4-quantized weight, or one of
 * those wrapped with LoRA adapters. The decoder only ever calls these two methods.
 */
@FunctionalInterface
public interface Projection {

    Tensor apply(Tensor x);

    /**
     * The same for a batch whose rows may each use a different adapter ({@code x} is {@code [batch, ...]}).
     * Projections without adapters ignore the routing.
     */
    default Tensor apply(Tensor x, AdapterRouting routing) {
        return apply(x);
    }
}
