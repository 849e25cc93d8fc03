/**
 * libtorch set-up, owned in one place: {@link dev.anvil.llm.torch.Torch} (native libraries, thread pools, device),
 * {@link dev.anvil.llm.torch.DType}, {@link dev.anvil.llm.torch.ComputeDevice}, and
 * {@link dev.anvil.llm.torch.NativeScope} (free a step's native temporaries; wrap every forward/training step).
 */
package dev.anvil.llm.torch;
