package dev.anvil.gateway.drift;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * Prompt embeddings from all-MiniLM-L6-v2 ({@value #DIMENSIONS} dimensions), which runs in process on ONNX Runtime
 * from the model inside the langchain4j jar: nothing is downloaded. The model takes about a second to load, so it
 * is loaded on the first call, once, and shared; a short sentence then takes a few milliseconds on a CPU core. A
 * text longer than the model's 512-token window is embedded in pieces whose embeddings are averaged.
 */
public final class PromptEmbeddings {
    public static final int DIMENSIONS = 384;

    private volatile EmbeddingModel model;

    public float[] embed(String prompt) {
        return model().embed(prompt).content().vector();
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = new AllMiniLmL6V2EmbeddingModel();
                    model = loaded;
                }
            }
        }
        return loaded;
    }
}
