package dev.anvil.llm.model;

/** The seven projections of a decoder layer, with their Hugging Face module names. */
public enum ProjectionKind {
    Q("self_attn", "q_proj"),
    K("self_attn", "k_proj"),
    V("self_attn", "v_proj"),
    O("self_attn", "o_proj"),
    GATE("mlp", "gate_proj"),
    UP("mlp", "up_proj"),
    DOWN("mlp", "down_proj");

    private final String block;
    private final String hfName;

    ProjectionKind(String block, String hfName) {
        this.block = block;
        this.hfName = hfName;
    }

    /** "q_proj", "gate_proj", ...: what PEFT's {@code target_modules} lists. */
    public String hfName() {
        return hfName;
    }

    /** "model.layers.3.self_attn.q_proj". */
    public String moduleName(int layer) {
        return "model.layers." + layer + "." + block + "." + hfName;
    }

    public static ProjectionKind fromHfName(String name) {
        for (ProjectionKind k : values()) if (k.hfName.equals(name)) return k;
        throw new IllegalArgumentException("unknown projection '" + name
                + "' (expected q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj)");
    }

    /** {@code [out, in]} of this projection's weight. */
    public long[] weightShape(ModelConfig c) {
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        return switch (this) {
            case Q -> new long[]{q, c.hiddenSize()};
            case K, V -> new long[]{kv, c.hiddenSize()};
            case O -> new long[]{c.hiddenSize(), q};
            case GATE, UP -> new long[]{c.intermediateSize(), c.hiddenSize()};
            case DOWN -> new long[]{c.hiddenSize(), c.intermediateSize()};
        };
    }

    public boolean hasBias(ModelConfig c) {
        return switch (this) {
            case Q, K, V -> c.qkvBias();
            case O -> c.outputBias();
            default -> false;
        };
    }
}
