package dev.anvil.gateway.drift;

import java.util.Map;

/**
 * What drift monitoring measures of one request: see {@link FeatureExtractor} for each feature's definition. The
 * share of rare prompt tokens is not here: it is measured against a version's reference, so {@link Reference} takes
 * it from the token ids.
 *
 * @param promptTokenIds    the prompt as the engine got it
 * @param responseTokens    the response's length in tokens
 * @param refusal           whether the response is a refusal
 * @param promptCharacters  the prompt's code points counted per {@link CharacterClass}
 * @param promptEmbedding   the prompt's embedding ({@link PromptEmbeddings#DIMENSIONS} dimensions); null when
 *                          this request was not embedded (embeddings off, or not among those sampled)
 */
public record RequestFeatures(int[] promptTokenIds, int responseTokens, boolean refusal,
                              Map<CharacterClass, Long> promptCharacters, float[] promptEmbedding) {

    /** The prompt's length in tokens. */
    public int promptTokens() {
        return promptTokenIds.length;
    }
}
