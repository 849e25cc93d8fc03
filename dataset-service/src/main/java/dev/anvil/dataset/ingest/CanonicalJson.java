package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a record, one JSON object a line:
 * {@code {"messages":[{"role":"user","content":"..."},...],"format":"alpaca"}}. A message carries {@code name} and
 * {@code tool_call_id} (OpenAI's names) only when it has them. Roles are {@code system}, {@code user},
 * {@code assistant} and {@code tool}; {@code format} is {@link SourceFormat#id()}.
 */
public final class CanonicalJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private CanonicalJson() {
    }

    /** The record as one line of JSON, without the line break. */
    public static String write(Conversation conversation) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("messages");
            for (Message message : conversation.messages()) {
                json.writeStartObject();
                json.writeStringField("role", message.role());
                json.writeStringField("content", message.content());
                if (message.name() != null) {
                    json.writeStringField("name", message.name());
                }
                if (message.toolCallId() != null) {
                    json.writeStringField("tool_call_id", message.toolCallId());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("format", conversation.format().id());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads a line written by {@link #write}. */
    public static Conversation read(String line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : node.get("messages")) {
            messages.add(new Message(message.get("role").textValue(), message.get("content").textValue(),
                    textOrNull(message.get("name")), textOrNull(message.get("tool_call_id"))));
        }
        return new Conversation(messages, SourceFormat.fromId(node.get("format").textValue()));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.textValue();
    }
}
