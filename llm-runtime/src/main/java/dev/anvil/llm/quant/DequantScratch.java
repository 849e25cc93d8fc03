package dev.anvil.llm.quant;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Dequantization buffers shared by the NF4 layers of one model while it trains: one per weight shape, dtype and
 * device, so that a training step holds a few dense weights instead of all of them (see {@link Nf4Linear}).
 * Buffers are allocated on first use and kept for the life of the model. Thread-safe to look up; what a buffer
 * holds at any moment belongs to the one thread running the model's forward and backward.
 */
final class DequantScratch {

    /**
     * A flat buffer of whole NF4 blocks and an alias of it for autograd: a tensor over the same memory with a
     * version counter of its own, so that refilling the buffer for the next layer does not make autograd reject
     * the products that saved the alias (the layer's hook refills it with the right weight before they run).
     */
    record Buffer(Tensor flat, Tensor alias) {}

    private record Key(long numel, ScalarType dtype, String device) {}

    private final Map<Key, Buffer> buffers = new HashMap<>();

    synchronized Buffer get(long paddedNumel, ScalarType dtype, Device device) {
        return buffers.computeIfAbsent(new Key(paddedNumel, dtype.intern(), device.str().getString()), k -> {
            Tensor flat = Tensors.keep(torch.empty(new long[] {paddedNumel}, Tensors.options(k.dtype(), device),
                    new MemoryFormatOptional()));
            return new Buffer(flat, Tensors.keep(flat.variable_data()));
        });
    }

    /** Bytes of all buffers allocated so far. */
    synchronized long bytes() {
        return buffers.values().stream().mapToLong(b -> b.flat().nbytes()).sum();
    }

    @Override
    public synchronized String toString() {
        return "DequantScratch" + Arrays.toString(buffers.keySet().toArray());
    }
}
