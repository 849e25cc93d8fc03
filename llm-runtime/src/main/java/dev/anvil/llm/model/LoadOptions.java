package dev.anvil.llm.model;

import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.Torch;

/**
 * How to load a checkpoint.
 *
 * @param dtype     the compute dtype; weights stored in another dtype are converted once at load
 * @param device    where the weights live
 * @param trainable make every base weight an owned, {@code requires_grad} tensor (full fine-tuning). Otherwise
 *                  weights may stay zero-copy views over the read-only file mapping.
 */
public record LoadOptions(DType dtype, ComputeDevice device, boolean trainable) {

    /** float32, inference only, on the process's configured device ({@link Torch#device()}, CPU unless set). */
    public static LoadOptions defaults() {
        return new LoadOptions(DType.FLOAT32, Torch.device(), false);
    }

    public LoadOptions withDtype(DType d) {
        return new LoadOptions(d, device, trainable);
    }

    public LoadOptions withDevice(ComputeDevice d) {
        return new LoadOptions(dtype, d, trainable);
    }

    public LoadOptions withTrainable(boolean t) {
        return new LoadOptions(dtype, device, t);
    }
}
