package dev.anvil.gateway.drift;

import dev.anvil.gateway.live.RefusalPhrases;

/**
 * The drift features of a (prompt, response) pair. The gateway has tokenized both, so lengths come as token counts
 * and the prompt's token ids; the prompt text is what the caller wrote (the messages' contents), not the chat
 * template around it.
 * <ul>
 *   <li>prompt length and response length in tokens (numeric: PSI and Kolmogorov-Smirnov);</li>
 *   <li>the share of rare or unknown prompt tokens, as {@link RareTokens} defines it against a version's reference
 *       (numeric; measured by {@link Reference});</li>
 *   <li>refusal, {@link RefusalPhrases#isRefusal} of the response (a rate per window);</li>
 *   <li>the prompt's character-class mix, {@link CharacterClass#countsOf} (categorical: Jensen-Shannon);</li>
 *   <li>the prompt's embedding, {@link PromptEmbeddings} (centroid distance), for the requests the caller picks:
 *       it costs a few ms of CPU per prompt, which a CPU-bound engine feels.</li>
 * </ul>
 * Response perplexity under the base model is not among them yet: it needs a scoring pass on the engine.
 */
public final class FeatureExtractor {
    private final PromptEmbeddings embeddings;

    /** {@code embeddings}: null to leave the embedding out. */
    public FeatureExtractor(PromptEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    /** {@code embed}: whether to embed this prompt (ignored when embeddings are off). */
    public RequestFeatures extract(String prompt, int[] promptTokenIds, String response, int responseTokens,
                                   boolean embed) {
        return new RequestFeatures(promptTokenIds.clone(), responseTokens, RefusalPhrases.isRefusal(response),
                CharacterClass.countsOf(prompt), embeddings != null && embed ? embeddings.embed(prompt) : null);
    }
}
