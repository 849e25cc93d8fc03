package dev.anvil.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON reading and writing of {@link Envelope}s. Readers tolerate fields they do not know (a newer writer may add
 * some) and reject messages that lack a required field, naming it. Reading is otherwise strict, because a lenient
 * reader silently changes what the writer meant: a repeated key, a fraction where an integer belongs, a string
 * where a number or boolean belongs, or anything after the JSON value is an error that names the field.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // "5" for a number, "true" for a boolean, "" for null: a writer that sends these is wrong about the type.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** Trees are checked for trailing content here, to say so without Jackson's terms. */
    private static final ObjectReader TREE_READER =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        if (!(readTree(json) instanceof ObjectNode envelope)) {
            throw new InvalidEventException("not a JSON object");
        }
        String type = text(envelope, "type");
        MessageTypes.MessageType messageType = MessageTypes.byName(type);
        JsonNode dataNode = envelope.get("data");
        if (dataNode == null || dataNode.isNull()) {
            throw new InvalidEventException(type + ": missing required field 'data'");
        }
        EventData data;
        try {
            data = treeToValue(dataNode, messageType.type());
        } catch (InvalidEventException e) {
            throw new InvalidEventException(type + ": " + e.getMessage(), e);
        }
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

    /**
     * One JSON value, strictly: a repeated key or anything after the value is an error.
     *
     * @throws InvalidEventException starting "not JSON: ", saying what and where
     */
    public static JsonNode readTree(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return readOneValue(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing a parser over a string does not fail
        }
    }

    /** {@link #readTree(String)} of UTF-8 bytes. */
    public static JsonNode readTree(byte[] json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return readOneValue(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readOneValue(JsonParser parser) throws IOException {
        try {
            JsonNode tree = TREE_READER.readTree(parser);
            if (tree == null) throw new InvalidEventException("not JSON: no value");
            if (parser.nextToken() != null) {
                throw new InvalidEventException("not JSON: unexpected content after the JSON value" + at(parser));
            }
            return tree;
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input (a key, an unrecognised token), which may hold control characters.
            String message = String.valueOf(e.getOriginalMessage());
            String what = message.startsWith("Duplicate field")
                    ? "duplicate field '" + path(parser.getParsingContext()) + "'" : message;
            throw new InvalidEventException("not JSON: " + Require.escape(what) + at(parser));
        }
    }

    /**
     * {@code tree} as a {@code type}: a record's own check or a wrong JSON type gives a message naming the field by
     * its JSON path ({@code hyperparameters.learningRate}) and what it must be.
     *
     * @throws InvalidEventException without the message type (callers add context)
     */
    public static <T> T treeToValue(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            throw new InvalidEventException(e.getCause() instanceof InvalidEventException invalid
                    ? invalid.getMessage() : "malformed value of field '" + JsonTerms.path(e.getPath()) + "'", e);
        } catch (MismatchedInputException e) {
            throw new InvalidEventException("field '" + JsonTerms.path(e.getPath()) + "' must be "
                    + JsonTerms.expected(e.getTargetType()), e);
        } catch (JsonMappingException e) {
            // A record's check thrown while a nested value is read (an unknown enum name) arrives wrapped.
            if (e.getCause() instanceof InvalidEventException invalid) throw invalid;
            throw new InvalidEventException("malformed field '" + JsonTerms.path(e.getPath()) + "': "
                    + Require.escape(String.valueOf(e.getOriginalMessage())), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: "
                    + Require.escape(String.valueOf(e.getOriginalMessage())), e);
        }
    }

    /** The same path from where a parser stands. */
    private static String path(JsonStreamContext context) {
        Deque<Object> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.push(c.getCurrentIndex());
            else if (c.getCurrentName() != null) parts.push(c.getCurrentName());
        }
        return JsonTerms.dotted(parts.stream());
    }

    private static String at(JsonParser parser) {
        JsonLocation where = parser.currentLocation();
        return " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
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
