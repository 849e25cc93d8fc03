package dev.anvil.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.TokenLogprob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** A chunk of a streamed chat completion; {@code usage} only on the last one, when asked. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatChunk(String id, String object, long created, String model, String system_fingerprint,
                     List<ChunkChoice> choices, @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChunkChoice(int index, ChatDelta delta, Object logprobs, String finish_reason) {
    }

    /** What a chunk adds to the assistant's message: the role once, then content; nothing on the finishing chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChatDelta(String role, String content) {
    }

    /** A chunk of a streamed text completion. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TextChunk(String id, String object, long created, String model, String system_fingerprint,
                     List<TextChoice> choices, @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
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

    /** A chat choice's {@code logprobs}: one entry per token. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatLogprobs(List<ChatTokenLogprob> content, Object refusal) {
        static ChatLogprobs of(List<TokenLogprob> tokens) {
            return new ChatLogprobs(tokens.stream().map(ChatTokenLogprob::of).toList(), null);
        }
    }

    /** bytes are a list of integers in OpenAI's JSON (Jackson would write a byte[] as base64). */
    record ChatTokenLogprob(String token, double logprob, List<Integer> bytes, List<ChatTopLogprob> top_logprobs) {
        static ChatTokenLogprob of(TokenLogprob t) {
            return new ChatTokenLogprob(t.token(), t.logprob(), unsigned(t.bytes()),
                    t.top().stream().map(a -> new ChatTopLogprob(a.token(), a.logprob(), unsigned(a.bytes()))).toList());
        }
    }

    record ChatTopLogprob(String token, double logprob, List<Integer> bytes) {
    }

    /**
     * The legacy completions' {@code logprobs}: parallel lists, the alternatives as token-to-logprob maps, and each
     * token's character offset in prompt + completion.
     */
    record TextLogprobs(List<String> tokens, List<Double> token_logprobs, List<Map<String, Double>> top_logprobs,
                        List<Integer> text_offset) {
        static TextLogprobs of(List<TokenLogprob> tokens, int firstOffset) {
            List<Integer> offsets = new ArrayList<>(tokens.size());
            int offset = firstOffset;
            for (TokenLogprob t : tokens) {
                offsets.add(offset);
                offset += t.token().length();
            }
            List<Map<String, Double>> top = tokens.stream().map(t -> {
                Map<String, Double> alternatives = new LinkedHashMap<>();
                t.top().forEach(a -> alternatives.putIfAbsent(a.token(), a.logprob()));
                return alternatives;
            }).toList();
            return new TextLogprobs(tokens.stream().map(TokenLogprob::token).toList(),
                    tokens.stream().map(TokenLogprob::logprob).toList(), top, offsets);
        }
    }

    private static List<Integer> unsigned(byte[] bytes) {
        List<Integer> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) out.add(b & 0xff);
        return out;
    }

    /**
     * OpenAI knows two reasons a choice ends on its own, a stop (a stop string or the end token) or the length, and
     * one a filter gives (the gateway's response filters).
     */
    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content_filter";
            default -> "stop";
        };
    }
}
