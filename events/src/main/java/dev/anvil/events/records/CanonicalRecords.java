package dev.anvil.events.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The line form of a {@link CanonicalRecord}:
 * {@code {"messages":[{"role":"user","content":"..."},...],"format":"alpaca"}}. A message carries {@code name} and
 * {@code tool_call_id} only when it has them, a record {@code format} only when known. The bytes written are part of
 * the contract: a dataset version's id is a hash of its files, so the same record must always give the same line.
 * Fields a reader does not know are ignored, so that the form can grow.
 */
public final class CanonicalRecords {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private CanonicalRecords() {
    }

    /** The record as one line of JSON, without the line break. */
    public static String toLine(CanonicalRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("messages");
            for (CanonicalRecord.Message message : record.messages()) {
                json.writeStartObject();
                json.writeStringField("role", message.role());
                json.writeStringField("content", message.content());
                if (message.name() != null) json.writeStringField("name", message.name());
                if (message.toolCallId() != null) json.writeStringField("tool_call_id", message.toolCallId());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (record.format() != null) json.writeStringField("format", record.format());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The record in {@code line}: an object with a non-empty {@code messages} array of known roles and text
     * contents.
     *
     * @throws RecordFormatException naming what is wrong (the caller adds file and line)
     */
    public static CanonicalRecord parse(String line) {
        JsonNode record;
        try {
            record = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RecordFormatException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode messages = record == null ? null : record.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new RecordFormatException("expected an object with a non-empty 'messages' array");
        }
        List<CanonicalRecord.Message> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual() || !CanonicalRecord.ROLES.contains(role.asText())) {
                throw new RecordFormatException("messages[" + i + "].role must be one of " + CanonicalRecord.ROLES);
            }
            if (content == null || !content.isTextual()) {
                throw new RecordFormatException("messages[" + i + "].content must be a string");
            }
            out.add(new CanonicalRecord.Message(role.asText(), content.asText(),
                    optionalText(m, "name", "messages[" + i + "]."), optionalText(m, "tool_call_id",
                    "messages[" + i + "].")));
        }
        return new CanonicalRecord(out, optionalText(record, "format", ""));
    }

    private static String optionalText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new RecordFormatException(path + field + " must be a string");
        return value.asText();
    }
}
