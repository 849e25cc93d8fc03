package dev.anvil.llm.generate;

/**
 * What one request produced.
 *
 * @param tokenIds the generated tokens (an EOS token or the token completing a stop string included)
 * @param text the generated text: special tokens skipped, cut before a stop string
 * @param finishReason why generation ended
 * @param usage prompt and completion token counts
 */
public record Generation(int[] tokenIds, String text, FinishReason finishReason, Usage usage) {

    /** Token counts, as billed by OpenAI-style APIs: every generated token counts, EOS included. */
    public record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
