package dev.anvil.llm.generate;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sampling state of one sequence: its parameters, its own random stream, and its tokens so far (prompt and
 * generated, which the repetition penalty reads), plus how often each was generated when the presence or frequency
 * penalty needs it (those count generated tokens only, never the prompt). Each sampled step takes exactly one
 * number from the stream, so a seeded sequence draws the same tokens alone or in any batch.
 *
 * <p>Not thread-safe; owned by the decode loop.
 */
public final class SamplingSequence {
    private final SamplingParams params;
    private final SplittableRandom random;
    private final int promptLength;
    private int[] tokens;
    private int length;
    /**
     * Token id to times generated, kept as tokens arrive so a step reads the counts without recounting the whole
     * output; empty (and never filled) when no occurrence penalty is on.
     */
    private final Map<Integer, Integer> generatedCounts;

    public SamplingSequence(SamplingParams params, int[] promptIds) {
        if (params == null || promptIds == null) {
            throw new IllegalArgumentException("params and promptIds are required");
        }
        this.params = params;
        this.random = params.seed().isPresent() ? new SplittableRandom(params.seed().getAsLong()) : new SplittableRandom();
        this.promptLength = promptIds.length;
        this.tokens = Arrays.copyOf(promptIds, Math.max(16, promptIds.length + Math.min(params.maxTokens(), 1024)));
        this.length = promptIds.length;
        this.generatedCounts = params.hasOccurrencePenalties() ? new HashMap<>() : Map.of();
    }

    public SamplingParams params() {
        return params;
    }

    /** Records a token chosen for this sequence ({@link Sampler#next} does it for the tokens it picks). */
    public void append(int token) {
        if (token < 0) {
            throw new IllegalArgumentException("token id must be >= 0, got " + token);
        }
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
        if (params.hasOccurrencePenalties()) {
            generatedCounts.merge(token, 1, Integer::sum);
        }
    }

    public int generatedCount() {
        return length - promptLength;
    }

    public boolean reachedMaxTokens() {
        return generatedCount() >= params.maxTokens();
    }

    public int[] generated() {
        return Arrays.copyOfRange(tokens, promptLength, length);
    }

    /** Prompt and generated tokens. */
    public int[] history() {
        return Arrays.copyOf(tokens, length);
    }

    int historyLength() {
        return length;
    }

    int historyAt(int i) {
        return tokens[i];
    }

    /** Generated token id to how often it was generated; empty when no occurrence penalty is on. */
    Map<Integer, Integer> generatedCounts() {
        return Collections.unmodifiableMap(generatedCounts);
    }

    /** Uniform in [0, 1): the only randomness a sampled step consumes. */
    double nextUniform() {
        return random.nextDouble();
    }
}
