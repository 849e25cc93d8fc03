package dev.anvil.llm.weights;

import java.util.Arrays;

/** One tensor's entry in a safetensors header; offsets are relative to the start of the data section. */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

    public long numel() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
