package dev.anvil.llm.bench;

import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.RopeConfig;

import java.util.List;

/**
 * The Llama shapes the decode benchmark runs, with the prompt lengths that fit their context. Weights are random
 * (speed does not depend on their values); the config is plain Llama 2 (no GQA, no biases) with the LM head tied
 * to the token embeddings as in llama2.c's checkpoints, which every engine under comparison reads the same way.
 *
 * @param prefillTokens length of the prompt whose prefill rate is measured (at most half the context)
 */
public enum BenchShape {
    /** llama2.c's stories15M: dim 288, 6 layers, 6 heads, ffn 768, context 256. */
    STORIES15M(288, 6, 6, 768, 256, 128),
    /** llama2.c's stories110M shape (110M parameters): dim 768, 12 layers, 12 heads, ffn 2048, context 1024. */
    LLAMA110M(768, 12, 12, 2048, 1024, 256);

    public static final int VOCAB = 32000;
    public static final int BOS = 1;
    public static final int EOS = 2;

    private final int dim;
    private final int layers;
    private final int heads;
    private final int ffn;
    private final int context;
    private final int prefillTokens;

    BenchShape(int dim, int layers, int heads, int ffn, int context, int prefillTokens) {
        this.dim = dim;
        this.layers = layers;
        this.heads = heads;
        this.ffn = ffn;
        this.context = context;
        this.prefillTokens = prefillTokens;
    }

    public ModelConfig config() {
        return new ModelConfig("llama", dim, layers, heads, heads, dim / heads, ffn, VOCAB, 1e-5, true, false, false,
                context, RopeConfig.plain(10000.0), 0, BOS, List.of(EOS), "float32");
    }

    public int prefillTokens() {
        return prefillTokens;
    }

    /** Directory name under the benchmark's model folder. */
    public String dirName() {
        return name().toLowerCase();
    }

    public long parameters() {
        long perLayer = 4L * dim * dim + 3L * dim * ffn + 2L * dim;
        return (long) VOCAB * dim + layers * perLayer + dim; // tied: the embedding is the LM head
    }
}
