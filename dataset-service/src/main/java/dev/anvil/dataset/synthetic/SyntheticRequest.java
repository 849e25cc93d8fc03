package dev.anvil.dataset.synthetic;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Templates with {@code {{slot}}} placeholders and the values of each slot. A slot's value is a string (or number),
 * or an object whose fields vary together and are used as {@code {{slot.field}}}, e.g. a country and its capital.
 *
 * @param templates each either {@code prompt} + {@code completion}, or {@code messages}
 * @param slots     the values of each slot; every template expands to the cartesian product of its slots' values
 */
public record SyntheticRequest(List<Template> templates, Map<String, List<JsonNode>> slots) {

    /** One template: a prompt and its completion, or a whole conversation. */
    public record Template(String prompt, String completion, List<TemplateMessage> messages) {
    }

    /** One turn of a conversation template. */
    public record TemplateMessage(String role, String content) {
    }
}
