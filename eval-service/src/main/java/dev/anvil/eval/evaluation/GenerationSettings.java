package dev.anvil.eval.evaluation;

import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.service.http.RefusedException;


/**
 * How each side answers the validation prompts for the generation metrics: greedy by default (temperature 0), or
 * sampled with a seed, example {@code i} using {@code seed + i} on both sides, so that a rerun gives the same
 * answers. {@code enabled} false skips generation (perplexity only).
 */
public record GenerationSettings(Boolean enabled, Integer maxNewTokens, Double temperature, Double topP, Long seed) {
    public static final int MAX_NEW_TOKENS_LIMIT = 1024;

    /** The request's settings over the defaults; refuses values out of range, naming the field. */
    static GenerationSettings resolve(GenerationSettings asked, int defaultMaxNewTokens) {
        GenerationSettings a = asked == null ? new GenerationSettings(null, null, null, null, null) : asked;
        GenerationSettings s = new GenerationSettings(a.enabled == null || a.enabled,
                a.maxNewTokens == null ? defaultMaxNewTokens : a.maxNewTokens,
                a.temperature == null ? 0.0 : a.temperature, a.topP == null ? 1.0 : a.topP,
                a.seed == null ? 0L : a.seed);
        if (s.maxNewTokens < 1 || s.maxNewTokens > MAX_NEW_TOKENS_LIMIT) {
            throw RefusedException.invalid("generation.maxNewTokens must be 1-" + MAX_NEW_TOKENS_LIMIT + ", got "
                    + s.maxNewTokens);
        }
        if (!(s.temperature >= 0 && s.temperature <= 2)) {
            throw RefusedException.invalid("generation.temperature must be in [0, 2] (0: greedy), got " + s.temperature);
        }
        if (!(s.topP > 0 && s.topP <= 1)) {
            throw RefusedException.invalid("generation.topP must be in (0, 1], got " + s.topP);
        }
        return s;
    }

    /** The sampling of example {@code index}, with at most {@code maxTokens} new tokens. */
    SamplingParams sampling(int index, int maxTokens) {
        return SamplingParams.defaults().withTemperature(temperature).withTopP(topP).withMaxTokens(maxTokens)
                .withSeed(seed + index);
    }
}
