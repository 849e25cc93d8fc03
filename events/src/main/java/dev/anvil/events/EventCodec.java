package dev.anvil.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON reading and writing of {@link Envelope}s. Readers tolerate fields they do not know (a newer writer may add
 * some) and reject messages that lack a required field, naming it.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {
    }

    public static String toJson(Envelope envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + envelope.type(), e);
        }
    }

    /** The record to publish: on the message type's topic, keyed by the subject. */
    public static ProducerRecord<String, String> toRecord(Envelope envelope) {
        return new ProducerRecord<>(MessageTypes.topicOf(envelope.data().getClass()), envelope.subject(),
                toJson(envelope));
    }

    public static Envelope fromJson(byte[] json) {
        return fromJson(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * Reads an envelope and its payload.
     *
     * @throws InvalidEventException naming what is wrong: not JSON, unknown type, missing or malformed field
     */
    public static Envelope fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty message");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode envelope)) {
            throw new InvalidEventException("not a JSON object");
        }
        String type = text(envelope, "type");
        MessageTypes.MessageType messageType = MessageTypes.byName(type);
        JsonNode dataNode = envelope.get("data");
        if (dataNode == null || dataNode.isNull()) {
            throw new InvalidEventException(type + ": missing required field 'data'");
        }
        EventData data = read(dataNode, messageType);
        String subject = envelope.hasNonNull("subject") ? envelope.get("subject").asText() : data.subject();
        try {
            return new Envelope(text(envelope, "id"), type, text(envelope, "source"),
                    MAPPER.treeToValue(envelope.get("time"), Instant.class), subject,
                    envelope.path("schemaVersion").asInt(Envelope.SCHEMA_VERSION), data);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(type + ": field 'time' is not an ISO-8601 instant");
        } catch (InvalidEventException e) {
            throw new InvalidEventException(type + ": " + e.getMessage());
        }
    }

    private static EventData read(JsonNode data, MessageTypes.MessageType type) {
        try {
            return MAPPER.treeToValue(data, type.type());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof InvalidEventException ? cause.getMessage() : e.getOriginalMessage();
            throw new InvalidEventException(type.name() + ": " + why, e);
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? m.getPathReference() : "";
            throw new InvalidEventException(type.name() + ": malformed field " + field + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new InvalidEventException("missing required envelope field '" + field + "'");
        }
        return value.asText();
    }

    /** The shared mapper, configured like the codec (for services that write JSON of their own). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
