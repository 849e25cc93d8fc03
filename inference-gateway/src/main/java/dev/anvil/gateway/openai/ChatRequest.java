package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.GatewayConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/chat/completions} body, read and checked.
 *
 * @param topLogprobs -1 without {@code logprobs}; else how many alternatives per token ({@code top_logprobs})
 */
record ChatRequest(String model, List<Map<String, Object>> messages, SamplingOptions sampling, int topLogprobs,
                   List<Map<String, Object>> tools) {
    static final int MAX_TOOLS = 128;
    /** Converts tool definitions and tool calls, already bounded by the body's size, into the template's dicts. */
    private static final ObjectMapper TEMPLATE_VALUES = new ObjectMapper();
    /** OpenAI's bound on top_logprobs. */
    static final int MAX_TOP_LOGPROBS = 20;
    static final int MAX_MODEL_CHARS = 256;
    static final int MAX_CONTENT_CHARS = 1 << 20;
    /** developer is OpenAI's newer name for system; templates know system. */
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    static ChatRequest read(JsonNode body, GatewayConfig.Limits limits) {
        RequestFields fields = RequestFields.of(body);
        String model = fields.requiredString("model", MAX_MODEL_CHARS);
        List<Map<String, Object>> messages = messages(fields, limits.maxMessages());
        boolean logprobs = fields.bool("logprobs", false);
        int top = fields.integer("top_logprobs", 0, MAX_TOP_LOGPROBS).orElse(-1);
        if (top >= 0 && !logprobs) {
            throw OpenAiException.invalid("top_logprobs", "Invalid 'top_logprobs': 'logprobs' must be set to true "
                    + "when 'top_logprobs' is used.");
        }
        int topLogprobs = logprobs ? Math.max(top, 0) : -1;
        SamplingOptions sampling = SamplingOptions.read(fields, limits, List.of("max_completion_tokens", "max_tokens"));
        return new ChatRequest(model, messages, sampling, topLogprobs, tools(fields));
    }

    /** OpenAI's tool definitions: {@code {"type": "function", "function": {"name": ..., ...}}} each. */
    private static List<Map<String, Object>> tools(RequestFields fields) {
        JsonNode array = fields.node("tools").orElse(null);
        if (array == null) return List.of();
        if (!array.isArray()) throw RequestFields.wrongType("tools", "an array", array);
        if (array.size() > MAX_TOOLS) {
            throw OpenAiException.invalid("tools", "Invalid 'tools': array too long. Expected an array with maximum "
                    + "length " + MAX_TOOLS + ", but got an array with length " + array.size() + " instead.");
        }
        List<Map<String, Object>> tools = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String param = "tools[" + i + "]";
            RequestFields tool = RequestFields.nested(array.get(i), param);
            String type = tool.requiredString("type", 32);
            if (!type.equals("function")) {
                throw OpenAiException.invalid(param + ".type", "Invalid value: '" + type + "'. Supported values are: "
                        + "'function'.");
            }
            JsonNode function = tool.node("function").orElseThrow(() ->
                    OpenAiException.invalid(param + ".function", "Missing required parameter: '" + param + ".function'."));
            RequestFields.nested(function, param + ".function").requiredString("name", 64);
            tools.add(templateValue(array.get(i)));
        }
        return tools;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> templateValue(JsonNode object) {
        return TEMPLATE_VALUES.convertValue(object, Map.class);
    }

    private static List<Map<String, Object>> messages(RequestFields fields, int maxMessages) {
        JsonNode array = fields.node("messages").orElseThrow(() ->
                OpenAiException.invalid("messages", "Missing required parameter: 'messages'."));
        if (!array.isArray()) throw RequestFields.wrongType("messages", "an array", array);
        if (array.isEmpty()) {
            throw OpenAiException.invalid("messages", "Invalid 'messages': empty array. Expected an array with minimum "
                    + "length 1, but got an empty array instead.");
        }
        if (array.size() > maxMessages) {
            throw OpenAiException.invalid("messages", "Invalid 'messages': array too long. Expected an array with "
                    + "maximum length " + maxMessages + ", but got an array with length " + array.size() + " instead.");
        }
        List<Map<String, Object>> messages = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) messages.add(message(array.get(i), "messages[" + i + "]"));
        return messages;
    }

    /** One message as the dict chat templates read: role, content, and the tool fields where present. */
    private static Map<String, Object> message(JsonNode node, String param) {
        RequestFields fields = RequestFields.nested(node, param);
        String role = fields.requiredString("role", 32);
        if (!ROLES.contains(role)) {
            throw OpenAiException.invalid(param + ".role", "Invalid value: '" + role + "'. Supported values are: "
                    + "'system', 'developer', 'user', 'assistant', and 'tool'.");
        }
        JsonNode content = fields.node("content").orElse(null);
        String text;
        if (content == null) {
            // An assistant turn that only called tools has no content.
            if (!role.equals("assistant")) {
                throw OpenAiException.invalid(param + ".content", "Missing required parameter: '" + param + ".content'.");
            }
            text = "";
        } else {
            text = content(content, param + ".content");
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role.equals("developer") ? "system" : role);
        message.put("content", text);
        fields.node("tool_calls").ifPresent(calls -> {
            if (!calls.isArray()) throw RequestFields.wrongType(param + ".tool_calls", "an array", calls);
            message.put("tool_calls", TEMPLATE_VALUES.convertValue(calls, List.class));
        });
        fields.string("tool_call_id", 256).ifPresent(id -> message.put("tool_call_id", id));
        fields.string("name", 256).ifPresent(name -> message.put("name", name));
        return message;
    }

    /** A string, or an array of typed parts of which this gateway reads text ones. */
    private static String content(JsonNode content, String param) {
        if (content.isTextual()) return RequestFields.text(content, param, MAX_CONTENT_CHARS);
        if (!content.isArray()) throw RequestFields.wrongType(param, "a string or an array of content parts", content);
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            String part = param + "[" + j + "]";
            RequestFields fields = RequestFields.nested(content.get(j), part);
            String type = fields.requiredString("type", 32);
            if (!type.equals("text")) {
                throw OpenAiException.invalid(part + ".type", "Content parts of type '" + type + "' are not supported "
                        + "by this model; only 'text'.");
            }
            text.append(fields.requiredString("text", MAX_CONTENT_CHARS));
            if (text.length() > MAX_CONTENT_CHARS) {
                throw OpenAiException.invalid(param, "Invalid '" + param + "': more than " + MAX_CONTENT_CHARS
                        + " characters of text.");
            }
        }
        return text.toString();
    }
}
