package dev.anvil.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;

import java.util.List;

/** The response objects of OpenAI's API, field for field (snake_case, nulls written where OpenAI writes them). */
final class WireTypes {
    private WireTypes() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Usage(int prompt_tokens, int completion_tokens, int total_tokens) {
        /** The prompt counts once, every choice's tokens count. */
        static Usage of(List<Generation> choices) {
            int prompt = choices.get(0).usage().promptTokens();
            int completion = choices.stream().mapToInt(g -> g.usage().completionTokens()).sum();
            return new Usage(prompt, completion, prompt + completion);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AssistantMessage(String role, String content, String refusal) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatChoice(int index, AssistantMessage message, Object logprobs, String finish_reason) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatCompletion(String id, String object, long created, String model, List<ChatChoice> choices,
                          Usage usage, String system_fingerprint) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TextChoice(int index, String text, Object logprobs, String finish_reason) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TextCompletion(String id, String object, long created, String model, List<TextChoice> choices,
                          Usage usage, String system_fingerprint) {
    }

    record Model(String id, String object, long created, String owned_by) {
        static Model of(String id, long created) {
            return new Model(id, "model", created, "anvil");
        }
    }

    record ModelList(String object, List<Model> data) {
        static ModelList of(List<Model> models) {
            return new ModelList("list", models);
        }
    }

    /** OpenAI knows two reasons a choice ends on its own: a stop (a stop string or the end token) or the length. */
    static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }
}
