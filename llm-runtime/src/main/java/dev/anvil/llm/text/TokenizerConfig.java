package dev.anvil.llm.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The parts of a Hugging Face {@code tokenizer_config.json} that change how text becomes ids and back:
 * the special tokens, whether BOS/EOS are added, and the chat template.
 *
 * <p>{@code addBosToken}/{@code addEosToken} are empty when the file does not say; the tokenizer's own
 * post-processor (in {@code tokenizer.json}) then decides, as in transformers.
 */
public record TokenizerConfig(
        Optional<String> bosToken,
        Optional<String> eosToken,
        Optional<String> padToken,
        Optional<String> unkToken,
        Optional<Boolean> addBosToken,
        Optional<Boolean> addEosToken,
        Optional<String> chatTemplate) {

    /** A model directory without {@code tokenizer_config.json}. */
    public static TokenizerConfig empty() {
        return new TokenizerConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static TokenizerConfig parse(JsonNode root, String source) {
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        return new TokenizerConfig(
                tokenContent(root, "bos_token", source),
                tokenContent(root, "eos_token", source),
                tokenContent(root, "pad_token", source),
                tokenContent(root, "unk_token", source),
                flag(root, "add_bos_token", source),
                flag(root, "add_eos_token", source),
                chatTemplate(root.get("chat_template"), source));
    }

    /** Special tokens are written either as a plain string or as an AddedToken object with a "content" field. */
    private static Optional<String> tokenContent(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return Optional.of(node.get("content").asText());
        }
        throw new IllegalArgumentException(source + ": field '" + field + "' must be a string or {\"content\": ...}");
    }

    private static Optional<Boolean> flag(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(source + ": field '" + field + "' must be true or false");
        }
        return Optional.of(node.booleanValue());
    }

    /**
     * A template is either one string or a list of named templates ({@code [{"name": "default", "template": ...},
     * {"name": "tool_use", ...}]}); the one named "default" is the chat template.
     */
    private static Optional<String> chatTemplate(JsonNode node, String source) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    return Optional.of(named.get("template").asText());
                }
            }
            throw new IllegalArgumentException(source + ": 'chat_template' list has no template named \"default\"");
        }
        throw new IllegalArgumentException(source + ": 'chat_template' must be a string or a list of named templates");
    }
}
