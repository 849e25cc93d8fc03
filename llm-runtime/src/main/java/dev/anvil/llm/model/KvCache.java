package dev.anvil.llm.model;

import dev.anvil.llm.torch.NativeScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Keys and values of the tokens seen so far, per layer, preallocated as {@code [batch, kvHeads, capacity, headDim]}
 * so that a decoding step copies one column in instead of concatenating.
 * Create one with {@link LlamaModel#newCache(int, int)}; it belongs to one batch of sequences.
 */
public final class KvCache {

    private final Tensor[] keys;
    private final Tensor[] values;
    private int batch;
    private final int capacity;
    private int length;

    KvCache(int layers, int batch, int kvHeads, int capacity, int headDim, TensorOptions options) {
        this.keys = new Tensor[layers];
        this.values = new Tensor[layers];
        this.batch = batch;
        this.capacity = capacity;
        long[] shape = {batch, kvHeads, capacity, headDim};
        for (int i = 0; i < layers; i++) {
            keys[i] = NativeScope.retain(torch.zeros(shape, options));
            values[i] = NativeScope.retain(torch.zeros(shape, options));
        }
    }

    /** Tokens already cached. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int batch() {
        return batch;
    }

    void checkRoom(int batchSize, int newTokens) {
        if (batchSize != batch) {
            throw new IllegalArgumentException("cache is for batch " + batch + ", input has batch " + batchSize);
        }
        if (length + newTokens > capacity) {
            throw new IllegalArgumentException("cache full: " + length + " + " + newTokens + " tokens > capacity " + capacity);
        }
    }

    /** Stores this step's keys/values of {@code layer} and returns all keys/values so far (views). */
    Tensor[] append(int layer, Tensor k, Tensor v) {
        long t = k.size(2);
        keys[layer].narrow(2, length, t).copy_(k);
        values[layer].narrow(2, length, t).copy_(v);
        return new Tensor[]{keys[layer].narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)};
    }

    void advance(int tokens) {
        length += tokens;
    }

    /**
     * Keeps only the given batch rows (int64 indices, ascending), e.g. once the other sequences have finished: the
     * remaining rows then run as a smaller batch. The dropped rows' memory is released at once.
     */
    void keepRows(Tensor rows) {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = replace(keys[i], keys[i].index_select(0, rows));
            values[i] = replace(values[i], values[i].index_select(0, rows));
        }
        batch = (int) rows.size(0);
    }

    /** Frees the buffers now instead of when the garbage collector gets to them; the cache is unusable after. */
    void release() {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = replace(keys[i], null);
            values[i] = replace(values[i], null);
        }
    }

    private static Tensor replace(Tensor old, Tensor fresh) {
        if (fresh != null) NativeScope.retain(fresh);
        if (old != null) old.releaseReference();
        return fresh;
    }

    /** Forgets everything (the buffers are reused). */
    public void reset() {
        length = 0;
    }
}
