package dev.anvil.llm.weights;

import org.bytedeco.pytorch.Tensor;

import java.util.Set;

/** Named tensors stored somewhere: one safetensors file or a sharded checkpoint. */
public interface TensorSource {

    Set<String> names();

    boolean contains(String name);

    /** The header entry of {@code name}; a {@link SafetensorsException} naming it when absent. */
    TensorInfo info(String name);

    /**
     * The tensor {@code name} over the file's memory mapping, without a copy. The memory is read-only and lives as
     * long as this source is reachable: clone it before writing to it or keeping it beyond the source.
     */
    Tensor tensor(String name);
}
