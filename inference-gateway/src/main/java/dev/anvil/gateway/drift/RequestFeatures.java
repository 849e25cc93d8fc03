package dev.anvil.gateway.drift;

import java.util.Map;

/**
 * What drift monitoring measures of one request: see {@link FeatureExtractor} for each feature's definition. The
 * embedding is an array, so two records compare equal only when they share it.
 *
 * @param promptTokens      the prompt's length in tokens
 * @param responseTokens    the response's length in tokens
 * @param rareTokenShare    the share of the prompt's tokens that are rare or unknown ({@link RareTokens})
 * @param refusal           whether the response is a refusal
 * @param promptCharacters  the prompt's code points counted per {@link CharacterClass}
 * @param promptEmbedding   the prompt's embedding ({@link PromptEmbeddings#DIMENSIONS} dimensions)
 */
public record RequestFeatures(int promptTokens, int responseTokens, double rareTokenShare, boolean refusal,
                              Map<CharacterClass, Long> promptCharacters, float[] promptEmbedding) {
}
