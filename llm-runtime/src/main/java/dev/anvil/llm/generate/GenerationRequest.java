package dev.anvil.llm.generate;

/**
 * One sequence to generate: its prompt token ids, how to pick tokens, and the adapter to run it with.
 *
 * @param promptIds the prompt, already tokenized (BOS included when the model wants one); see
 *     {@link TextGenerator#encode(String)} and {@link TextGenerator#encodeChat}
 * @param params sampling settings, max tokens and stop strings of this sequence
 * @param adapter the name of a LoRA adapter attached to the model, or null for the base model
 */
public record GenerationRequest(int[] promptIds, SamplingParams params, String adapter) {

    public GenerationRequest {
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("promptIds must hold at least one token");
        }
        if (params == null) {
            throw new IllegalArgumentException("params are required");
        }
        if (adapter != null && adapter.isBlank()) {
            throw new IllegalArgumentException("adapter must be null (base model) or a name, not blank");
        }
        promptIds = promptIds.clone();
    }

    public GenerationRequest(int[] promptIds, SamplingParams params) {
        this(promptIds, params, null);
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    int promptLength() {
        return promptIds.length;
    }

    long[] promptIdsAsLongs() {
        long[] ids = new long[promptIds.length];
        for (int i = 0; i < ids.length; i++) ids[i] = promptIds[i];
        return ids;
    }

    public GenerationRequest withAdapter(String name) {
        return new GenerationRequest(promptIds, params, name);
    }
}
