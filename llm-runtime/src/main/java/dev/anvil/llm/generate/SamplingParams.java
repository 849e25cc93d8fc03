package dev.anvil.llm.generate;

import java.util.List;
import java.util.OptionalLong;

/**
 * How one sequence picks its tokens, with the meaning (and the neutral values) of transformers and OpenAI's API.
 *
 * @param temperature 0 means greedy (argmax); otherwise logits are divided by it before sampling
 * @param topK keep the k most likely tokens; 0 disables it
 * @param topP keep the smallest set of most likely tokens whose probability reaches p; 1 disables it
 * @param repetitionPenalty applied to every token already in the sequence (prompt included): positive logits are
 *     divided by it, negative ones multiplied; 1 disables it
 * @param presencePenalty OpenAI's {@code presence_penalty}, in [-2, 2]: subtracted once from the logit of every token
 *     generated so far (the prompt does not count); 0 disables it
 * @param frequencyPenalty OpenAI's {@code frequency_penalty}, in [-2, 2]: subtracted from the logit of every token
 *     generated so far, times the number of times it was generated; 0 disables it
 * @param maxTokens the most tokens to generate
 * @param seed makes sampling reproducible for this sequence, whatever else shares its batch; empty: unseeded
 * @param stop strings that end generation; the text is cut before the first one
 * @param topLogprobs {@link #NO_LOGPROBS} (-1): no log-probabilities; 0: the chosen token's log-probability with
 *     each token; 1 to {@link #MAX_TOP_LOGPROBS}: also that many most likely alternatives (OpenAI's
 *     {@code top_logprobs}). They come from the model's raw distribution, before penalties and warpers.
 */
public record SamplingParams(double temperature, int topK, double topP, double repetitionPenalty,
        double presencePenalty, double frequencyPenalty, int maxTokens, OptionalLong seed, List<String> stop,
        int topLogprobs) {
    public static final int MAX_TOKENS_LIMIT = 1 << 20;
    public static final int MAX_STOP_STRINGS = 16;
    public static final int MAX_STOP_CHARS = 256;
    /** OpenAI's limit on {@code top_logprobs}. */
    public static final int MAX_TOP_LOGPROBS = 20;
    public static final int NO_LOGPROBS = -1;
    /** OpenAI's bound on {@code presence_penalty} and {@code frequency_penalty}, either sign. */
    public static final int MAX_OCCURRENCE_PENALTY = 2;

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 means greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be a finite number > 0 (1 disables it), got "
                    + repetitionPenalty);
        }
        checkOccurrencePenalty("presence_penalty", presencePenalty);
        checkOccurrencePenalty("frequency_penalty", frequencyPenalty);
        if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
            throw new IllegalArgumentException("max_tokens must be in [1, " + MAX_TOKENS_LIMIT + "], got " + maxTokens);
        }
        if (seed == null) {
            throw new IllegalArgumentException("seed must be OptionalLong.empty() when unseeded, not null");
        }
        if (stop == null || stop.size() > MAX_STOP_STRINGS) {
            throw new IllegalArgumentException("stop must be a list of at most " + MAX_STOP_STRINGS + " strings");
        }
        for (int i = 0; i < stop.size(); i++) {
            String s = stop.get(i);
            if (s == null || s.isEmpty() || s.length() > MAX_STOP_CHARS) {
                throw new IllegalArgumentException("stop[" + i + "] must have 1 to " + MAX_STOP_CHARS + " chars");
            }
        }
        stop = List.copyOf(stop);
        if (topLogprobs < NO_LOGPROBS || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException(topLogprobsRange(topLogprobs) + " (or " + NO_LOGPROBS
                    + ": no logprobs)");
        }
    }

    /** Plain sampling from the model's distribution: temperature 1, no truncation, 256 tokens, unseeded. */
    public static SamplingParams defaults() {
        return new SamplingParams(1.0, 0, 1.0, 1.0, 0.0, 0.0, 256, OptionalLong.empty(), List.of(), NO_LOGPROBS);
    }

    public static SamplingParams greedy(int maxTokens) {
        return defaults().withTemperature(0).withMaxTokens(maxTokens);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public boolean wantsLogprobs() {
        return topLogprobs != NO_LOGPROBS;
    }

    /** Whether the presence or frequency penalty is on, so the tokens generated so far must be counted. */
    public boolean hasOccurrencePenalties() {
        return presencePenalty != 0 || frequencyPenalty != 0;
    }

    public SamplingParams withTemperature(double value) {
        return new SamplingParams(value, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty, maxTokens,
                seed, stop, topLogprobs);
    }

    public SamplingParams withTopK(int value) {
        return new SamplingParams(temperature, value, topP, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, seed, stop, topLogprobs);
    }

    public SamplingParams withTopP(double value) {
        return new SamplingParams(temperature, topK, value, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, seed, stop, topLogprobs);
    }

    public SamplingParams withRepetitionPenalty(double value) {
        return new SamplingParams(temperature, topK, topP, value, presencePenalty, frequencyPenalty, maxTokens, seed,
                stop, topLogprobs);
    }

    public SamplingParams withPresencePenalty(double value) {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, value, frequencyPenalty, maxTokens, seed,
                stop, topLogprobs);
    }

    public SamplingParams withFrequencyPenalty(double value) {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, value, maxTokens, seed,
                stop, topLogprobs);
    }

    public SamplingParams withMaxTokens(int value) {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty, value,
                seed, stop, topLogprobs);
    }

    public SamplingParams withSeed(long value) {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, OptionalLong.of(value), stop, topLogprobs);
    }

    public SamplingParams withStop(List<String> value) {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, seed, value, topLogprobs);
    }

    /**
     * @param topN 0: only the chosen token's log-probability; up to {@link #MAX_TOP_LOGPROBS}: also the topN most
     *     likely tokens of each step
     */
    public SamplingParams withLogprobs(int topN) {
        if (topN < 0) {
            throw new IllegalArgumentException(topLogprobsRange(topN)); // -1 is for withoutLogprobs, not a top N
        }
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, seed, stop, topN);
    }

    public SamplingParams withoutLogprobs() {
        return new SamplingParams(temperature, topK, topP, repetitionPenalty, presencePenalty, frequencyPenalty,
                maxTokens, seed, stop, NO_LOGPROBS);
    }

    /** NaN fails the comparison, so this also rejects it and both infinities. */
    private static void checkOccurrencePenalty(String name, double value) {
        if (!(Math.abs(value) <= MAX_OCCURRENCE_PENALTY)) {
            throw new IllegalArgumentException(name + " must be a finite number in [-" + MAX_OCCURRENCE_PENALTY + ", "
                    + MAX_OCCURRENCE_PENALTY + "] (0 disables it), got " + value);
        }
    }

    private static String topLogprobsRange(int got) {
        return "top_logprobs must be in [0, " + MAX_TOP_LOGPROBS + "], got " + got;
    }
}
