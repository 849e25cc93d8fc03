package dev.anvil.llm.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors a checkpoint of a given config must hold, by Hugging Face name, with their shapes. */
public final class ParameterLayout {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private ParameterLayout() {}

    public static String inputNorm(int layer) {
        return "model.layers." + layer + ".input_layernorm.weight";
    }

    public static String postAttentionNorm(int layer) {
        return "model.layers." + layer + ".post_attention_layernorm.weight";
    }

    public static Map<String, long[]> of(ModelConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(EMBED, new long[]{c.vocabSize(), c.hiddenSize()});
        for (int i = 0; i < c.numLayers(); i++) {
            m.put(inputNorm(i), new long[]{c.hiddenSize()});
            m.put(postAttentionNorm(i), new long[]{c.hiddenSize()});
            for (ProjectionKind k : ProjectionKind.values()) {
                long[] shape = k.weightShape(c);
                m.put(k.moduleName(i) + ".weight", shape);
                if (k.hasBias(c)) m.put(k.moduleName(i) + ".bias", new long[]{shape[0]});
            }
        }
        m.put(FINAL_NORM, new long[]{c.hiddenSize()});
        if (!c.tieWordEmbeddings()) m.put(LM_HEAD, new long[]{c.vocabSize(), c.hiddenSize()});
        return m;
    }
}
