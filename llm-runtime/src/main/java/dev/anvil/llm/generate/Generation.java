package dev.anvil.llm.generate;

import java.util.List;

/**
 * What one request produced.
 *
 * @param tokenIds the generated tokens (an EOS token or the token completing a stop string included)
 * @param text the generated text: special tokens skipped, cut before a stop string
 * @param finishReason why generation ended
 * @param usage prompt and completion token counts
 * @param logprobs one entry per generated token when the request asked for them
 *     ({@link SamplingParams#withLogprobs}), else empty
 */
public record Generation(int[] tokenIds, String text, FinishReason finishReason, Usage usage,
        List<TokenLogprob> logprobs) {

    public Generation {
        if (logprobs == null) throw new IllegalArgumentException("logprobs must be a list, empty when not asked for");
        logprobs = List.copyOf(logprobs);
    }

    /** A generation without log-probabilities. */
    public Generation(int[] tokenIds, String text, FinishReason finishReason, Usage usage) {
        this(tokenIds, text, finishReason, usage, List.of());
    }

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
