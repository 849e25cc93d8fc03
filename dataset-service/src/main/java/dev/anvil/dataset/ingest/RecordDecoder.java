package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Recognises the shape of one record and maps it to the canonical chat form. The shape is detected per record, by its
 * fields, in this order: {@code messages} (OpenAI chat), {@code conversations} (ShareGPT), {@code prompt} /
 * {@code completion}, {@code instruction} with {@code output} (Alpaca) or {@code response}, then {@code text}.
 *
 * <p>Choices a fine-tuning user should know:
 * <ul>
 *   <li>A {@code text} record is plain language-model data: it becomes a single {@code assistant} turn, because the
 *   assistant turns are the ones a trainer computes the loss on, and plain text is trained on in full.</li>
 *   <li>Alpaca: an empty or missing {@code input} gives the instruction alone as the user turn; a non-empty one is
 *   appended to the instruction after a blank line.</li>
 *   <li>Typed content parts ({@code {"type":"text","text":...}}) are joined with a newline; a non-text part (an
 *   image, audio) cannot be trained on by a text model and makes the record malformed.</li>
 *   <li>An OpenAI assistant turn's {@code tool_calls} are kept as their compact JSON in the turn's content (after the
 *   text, if any), the same way ShareGPT stores a {@code function_call} turn: the canonical form has no separate
 *   field for them and a model must learn to emit them.</li>
 *   <li>The flat formats accept an optional {@code system} string, which becomes the system prompt; ShareGPT's
 *   top-level {@code system} likewise.</li>
 *   <li>A chat without any assistant turn has nothing to learn and is malformed.</li>
 * </ul>
 */
public final class RecordDecoder {

    public Conversation decode(JsonNode record) throws MalformedRecordException {
        if (record == null || !record.isObject()) {
            throw new MalformedRecordException("a record must be a JSON object, got "
                    + (record == null ? "nothing" : record.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (record.has("messages")) {
            return openAiChat(record);
        }
        if (record.has("conversations")) {
            return shareGpt(record);
        }
        if (record.has("prompt") || record.has("completion")) {
            return flat(record, SourceFormat.PROMPT_COMPLETION, requiredText(record, "prompt"),
                    requiredText(record, "completion"));
        }
        if (record.has("instruction")) {
            String instruction = requiredText(record, "instruction");
            if (record.has("output") || record.has("input")) {
                String input = optionalText(record, "input");
                String user = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
                return flat(record, SourceFormat.ALPACA, user, requiredText(record, "output"));
            }
            if (record.has("response")) {
                return flat(record, SourceFormat.INSTRUCTION_RESPONSE, instruction, requiredText(record, "response"));
            }
            throw new MalformedRecordException("field instruction needs an output (Alpaca) or a response field");
        }
        if (record.has("text")) {
            return new Conversation(List.of(new Message(Message.ASSISTANT, requiredText(record, "text"))),
                    SourceFormat.TEXT);
        }
        throw new MalformedRecordException("unknown record shape: expected messages, conversations, prompt/completion,"
                + " instruction/input/output, instruction/response or text; got fields " + fieldNames(record));
    }

    private Conversation flat(JsonNode record, SourceFormat format, String user, String assistant)
            throws MalformedRecordException {
        List<Message> messages = new ArrayList<>(3);
        String system = optionalText(record, "system");
        if (system != null && !system.isBlank()) {
            messages.add(new Message(Message.SYSTEM, system));
        }
        messages.add(new Message(Message.USER, user));
        messages.add(new Message(Message.ASSISTANT, assistant));
        return new Conversation(messages, format);
    }

    private Conversation openAiChat(JsonNode record) throws MalformedRecordException {
        JsonNode turns = nonEmptyArray(record, "messages");
        List<Message> messages = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            String where = "messages[" + i + "]";
            JsonNode turn = turns.get(i);
            if (!turn.isObject()) {
                throw new MalformedRecordException(where + " must be an object");
            }
            String role = openAiRole(requiredText(turn, "role", where), where);
            String content = content(turn.get("content"), where + ".content");
            JsonNode toolCalls = turn.get("tool_calls");
            if (toolCalls != null && !toolCalls.isNull()) {
                String calls = toolCalls.toString();
                content = content == null || content.isEmpty() ? calls : content + "\n" + calls;
            }
            if (content == null) {
                throw new MalformedRecordException("missing field " + where + ".content");
            }
            messages.add(new Message(role, content, optionalText(turn, "name", where),
                    optionalText(turn, "tool_call_id", where)));
        }
        return new Conversation(requireAssistant(messages, "messages"), SourceFormat.OPENAI_CHAT);
    }

    private Conversation shareGpt(JsonNode record) throws MalformedRecordException {
        JsonNode turns = nonEmptyArray(record, "conversations");
        List<Message> messages = new ArrayList<>(turns.size() + 1);
        String system = optionalText(record, "system");
        if (system != null && !system.isBlank()) {
            messages.add(new Message(Message.SYSTEM, system));
        }
        for (int i = 0; i < turns.size(); i++) {
            String where = "conversations[" + i + "]";
            JsonNode turn = turns.get(i);
            if (!turn.isObject()) {
                throw new MalformedRecordException(where + " must be an object");
            }
            String role = shareGptRole(requiredText(turn, "from", where), where);
            messages.add(new Message(role, requiredText(turn, "value", where)));
        }
        return new Conversation(requireAssistant(messages, "conversations"), SourceFormat.SHAREGPT);
    }

    /** Maps OpenAI role names, including the legacy {@code function} and the newer {@code developer}. */
    private static String openAiRole(String role, String where) throws MalformedRecordException {
        return switch (role.trim().toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> Message.SYSTEM;
            case "user" -> Message.USER;
            case "assistant" -> Message.ASSISTANT;
            case "tool", "function" -> Message.TOOL;
            default -> throw new MalformedRecordException("unknown role '" + role + "' in " + where + ".role");
        };
    }

    private static String shareGptRole(String from, String where) throws MalformedRecordException {
        return switch (from.trim().toLowerCase(Locale.ROOT)) {
            case "system" -> Message.SYSTEM;
            case "human", "user" -> Message.USER;
            case "gpt", "assistant", "chatgpt", "function_call" -> Message.ASSISTANT;
            case "observation", "tool", "function", "function_response" -> Message.TOOL;
            default -> throw new MalformedRecordException("unknown role '" + from + "' in " + where + ".from");
        };
    }

    /** A string, a list of typed parts, or null (absent). */
    private static String content(JsonNode content, String where) throws MalformedRecordException {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw new MalformedRecordException(where + " must be a string or a list of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partWhere = where + "[" + i + "]";
            if (part.isTextual()) {
                appendPart(text, part.textValue());
                continue;
            }
            if (!part.isObject()) {
                throw new MalformedRecordException(partWhere + " must be an object");
            }
            String type = requiredText(part, "type", partWhere);
            if (!type.equals("text") && !type.equals("input_text") && !type.equals("output_text")) {
                throw new MalformedRecordException("unsupported content part type '" + type + "' in " + partWhere
                        + ": only text can be trained on");
            }
            appendPart(text, requiredText(part, "text", partWhere));
        }
        return text.toString();
    }

    private static void appendPart(StringBuilder text, String part) {
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(part);
    }

    private static List<Message> requireAssistant(List<Message> messages, String field)
            throws MalformedRecordException {
        for (Message message : messages) {
            if (message.role().equals(Message.ASSISTANT)) {
                return messages;
            }
        }
        throw new MalformedRecordException(field + " has no assistant turn: nothing to train on");
    }

    private static JsonNode nonEmptyArray(JsonNode record, String field) throws MalformedRecordException {
        JsonNode array = record.get(field);
        if (array == null || !array.isArray()) {
            throw new MalformedRecordException("field " + field + " must be a list");
        }
        if (array.isEmpty()) {
            throw new MalformedRecordException("field " + field + " is an empty list");
        }
        return array;
    }

    private static String requiredText(JsonNode node, String field) throws MalformedRecordException {
        return requiredText(node, field, null);
    }

    private static String requiredText(JsonNode node, String field, String where) throws MalformedRecordException {
        String value = optionalText(node, field, where);
        if (value == null) {
            throw new MalformedRecordException("missing field " + qualified(field, where));
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field) throws MalformedRecordException {
        return optionalText(node, field, null);
    }

    private static String optionalText(JsonNode node, String field, String where) throws MalformedRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedRecordException("field " + qualified(field, where) + " must be a string, got "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }

    private static String qualified(String field, String where) {
        return where == null ? field : where + "." + field;
    }

    private static String fieldNames(JsonNode record) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = record.fieldNames();
        while (it.hasNext() && names.size() < 8) {
            names.add(it.next());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
