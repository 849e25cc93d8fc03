package dev.anvil.llm.weights;

import org.bytedeco.pytorch.Tensor;

import dev.anvil.llm.torch.Tensors;

import java.util.Map;
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

    /**
     * Gives up the memory behind {@code name} when it is a file mapping, so that its pages leave this process's
     * resident memory (e.g. a weight replaced by its quantized form). Every tensor viewing it must have been
     * emptied or dropped: reading one afterwards is reading unmapped memory. Tensors in memory: nothing to do.
     */
    default void release(String name) {
    }

    /** The shape of {@code name}, read from the header without touching the data. */
    default long[] shape(String name) {
        return info(name).shape();
    }

    /** Tensors already in memory (random weights, a trainer's state) seen as a source. */
    static TensorSource of(Map<String, Tensor> tensors) {
        return new TensorSource() {
            @Override
            public Set<String> names() {
                return tensors.keySet();
            }

            @Override
            public boolean contains(String name) {
                return tensors.containsKey(name);
            }

            @Override
            public TensorInfo info(String name) {
                Tensor t = tensor(name);
                return new TensorInfo(name, SafetensorsDType.of(t.scalar_type()), Tensors.shape(t), 0, t.nbytes());
            }

            @Override
            public long[] shape(String name) {
                return Tensors.shape(tensor(name));
            }

            @Override
            public Tensor tensor(String name) {
                Tensor t = tensors.get(name);
                if (t == null) throw new SafetensorsException("missing tensor '" + name + "'");
                return t;
            }
        };
    }
}
