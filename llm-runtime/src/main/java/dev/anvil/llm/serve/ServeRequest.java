package dev.anvil.llm.serve;

import dev.anvil.llm.generate.SamplingParams;

/**
 * One request to serve: {@code n} completions of one prompt.
 *
 * @param id unique among the engine's live requests; {@link ServingEngine#cancel} names it
 * @param promptIds the prompt, tokenized by the engine's {@link ServingEngine#encode} or {@link ServingEngine#encodeChat}
 * @param params sampling, token limit and stop strings; with a seed, choice {@code i} uses seed + i, so that the
 *     choices differ and each is reproducible
 * @param n how many completions (choices), each a row of the batch
 * @param adapter the adapter to run with, or null for the base model
 */
public record ServeRequest(String id, int[] promptIds, SamplingParams params, int n, AdapterRef adapter) {
    public ServeRequest {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is required");
        if (promptIds == null || promptIds.length == 0) throw new IllegalArgumentException("the prompt is empty");
        if (params == null) throw new IllegalArgumentException("params are required");
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        promptIds = promptIds.clone();
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    SamplingParams paramsOfChoice(int choice) {
        return params.seed().isPresent() && choice > 0 ? params.withSeed(params.seed().getAsLong() + choice) : params;
    }
}
