package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.gateway.GatewayConfig;

import java.util.List;

/**
 * A {@code POST /v1/completions} body, read and checked: one prompt (a string, or an array of one string).
 *
 * @param logprobs -1 when not asked; else how many alternatives per token (the legacy API's integer, 0 to 5)
 */
record CompletionRequest(String model, String prompt, SamplingOptions sampling, int logprobs) {
    /** The legacy API's bound on logprobs. */
    static final int MAX_LOGPROBS = 5;
    /** OpenAI's legacy default when max_tokens is absent. */
    static final int DEFAULT_MAX_TOKENS = 16;

    static CompletionRequest read(JsonNode body, GatewayConfig.Limits limits) {
        RequestFields fields = RequestFields.of(body);
        String model = fields.requiredString("model", ChatRequest.MAX_MODEL_CHARS);
        JsonNode prompt = fields.node("prompt").orElseThrow(() ->
                OpenAiException.invalid("prompt", "Missing required parameter: 'prompt'."));
        if (prompt.isArray() && prompt.size() > 0 && prompt.get(0).isNumber()) {
            throw OpenAiException.invalid("prompt", "Prompts as token ids are not supported; send text.");
        }
        List<String> prompts = fields.stringOrStrings("prompt", 1, ChatRequest.MAX_CONTENT_CHARS);
        if (prompts.isEmpty() || prompts.get(0).isEmpty()) {
            throw OpenAiException.invalid("prompt", "Invalid 'prompt': expected one non-empty string.");
        }
        if (fields.bool("echo", false)) throw OpenAiException.invalid("echo", "'echo' is not supported.");
        int logprobs = fields.integer("logprobs", 0, MAX_LOGPROBS).orElse(-1);
        if (fields.node("suffix").isPresent()) throw OpenAiException.invalid("suffix", "'suffix' is not supported.");
        fields.integer("best_of", 1, 1); // OpenAI's best_of > n: only the neutral 1 is served
        SamplingOptions sampling = SamplingOptions.read(fields, limits, List.of("max_tokens"));
        return new CompletionRequest(model, prompts.get(0), sampling, logprobs);
    }
}
