package dev.anvil.llm.weights;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** The safetensors dtype names this library reads and writes, with their libtorch types. */
public enum SafetensorsDType {
    F32(ScalarType.Float, 4),
    F16(ScalarType.Half, 2),
    BF16(ScalarType.BFloat16, 2),
    F64(ScalarType.Double, 8),
    I64(ScalarType.Long, 8),
    I32(ScalarType.Int, 4),
    I16(ScalarType.Short, 2),
    I8(ScalarType.Char, 1),
    U8(ScalarType.Byte, 1),
    BOOL(ScalarType.Bool, 1);

    private final ScalarType scalarType;
    private final int bytes;

    SafetensorsDType(ScalarType scalarType, int bytes) {
        this.scalarType = scalarType;
        this.bytes = bytes;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    public int bytes() {
        return bytes;
    }

    public static SafetensorsDType of(ScalarType type) {
        ScalarType t = type.intern(); // enums from native code are fresh objects
        for (SafetensorsDType d : values()) {
            if (d.scalarType == t) return d;
        }
        throw new IllegalArgumentException("no safetensors dtype for libtorch type " + t);
    }
}
