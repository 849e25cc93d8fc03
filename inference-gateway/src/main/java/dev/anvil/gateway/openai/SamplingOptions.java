package dev.anvil.gateway.openai;

import dev.anvil.gateway.GatewayConfig;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The generation parameters chat and text completions share, validated with OpenAI's ranges.
 *
 * @param maxTokens the request's token limit; empty: as many as the context leaves (capped by configuration)
 * @param maxTokensParam the parameter that gave it, for error messages
 */
record SamplingOptions(OptionalInt maxTokens, String maxTokensParam, double temperature, double topP, int n,
                       List<String> stop, OptionalLong seed, double presencePenalty, double frequencyPenalty,
                       boolean stream, boolean includeUsage, String user) {
    static final int MAX_STOP = 4;
    static final int MAX_STOP_CHARS = 256;
    static final int MAX_USER_CHARS = 256;

    /**
     * @param maxTokensParams the names the token limit may come under, preferred first ({@code
     *     max_completion_tokens} before the older {@code max_tokens})
     */
    static SamplingOptions read(RequestFields fields, GatewayConfig.Limits limits, List<String> maxTokensParams) {
        OptionalInt maxTokens = OptionalInt.empty();
        String maxTokensParam = maxTokensParams.get(maxTokensParams.size() - 1);
        for (String name : maxTokensParams) {
            OptionalInt value = fields.integer(name, 1, limits.maxTokens());
            if (value.isPresent() && maxTokens.isEmpty()) {
                maxTokens = value;
                maxTokensParam = name;
            }
        }
        double temperature = fields.number("temperature", 0, 2).orElse(1);
        double topP = fields.number("top_p", 0, 1).orElse(1);
        if (topP == 0) throw OpenAiException.invalid("top_p", "Invalid 'top_p': must be greater than 0.");
        int n = fields.integer("n", 1, limits.maxN()).orElse(1);
        List<String> stop = fields.stringOrStrings("stop", MAX_STOP, MAX_STOP_CHARS);
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) throw OpenAiException.invalid("stop", "Invalid 'stop': stop strings must not be empty.");
        }
        OptionalLong seed = fields.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        double presencePenalty = fields.number("presence_penalty", -2, 2).orElse(0);
        double frequencyPenalty = fields.number("frequency_penalty", -2, 2).orElse(0);
        boolean stream = fields.bool("stream", false);
        boolean includeUsage = false;
        if (fields.node("stream_options").isPresent()) {
            if (!stream) {
                throw OpenAiException.invalid("stream_options", "The 'stream_options' parameter is only allowed when "
                        + "'stream' is enabled.");
            }
            includeUsage = RequestFields.nested(fields.node("stream_options").get(), "stream_options")
                    .bool("include_usage", false);
        }
        String user = fields.string("user", MAX_USER_CHARS).orElse(null);
        return new SamplingOptions(maxTokens, maxTokensParam, temperature, topP, n, stop, seed, presencePenalty,
                frequencyPenalty, stream, includeUsage, user);
    }
}
