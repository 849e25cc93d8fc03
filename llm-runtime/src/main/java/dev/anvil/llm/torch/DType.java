package dev.anvil.llm.torch;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** The floating-point types a model can compute in. */
public enum DType {
    FLOAT32(ScalarType.Float, "float32"),
    BFLOAT16(ScalarType.BFloat16, "bfloat16");

    private final ScalarType scalarType;
    private final String hfName;

    DType(ScalarType scalarType, String hfName) {
        this.scalarType = scalarType;
        this.hfName = hfName;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    /** The name Hugging Face writes in config.json ({@code torch_dtype} / {@code dtype}). */
    public String hfName() {
        return hfName;
    }

    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.hfName.equalsIgnoreCase(name) || d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        if ("bf16".equalsIgnoreCase(name)) return BFLOAT16;
        if ("fp32".equalsIgnoreCase(name) || "float".equalsIgnoreCase(name)) return FLOAT32;
        throw new IllegalArgumentException("unsupported dtype '" + name + "' (expected float32 or bfloat16)");
    }
}
