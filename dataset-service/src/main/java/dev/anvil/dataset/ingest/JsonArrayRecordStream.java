package dev.anvil.dataset.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * One JSON array of records, read element by element with Jackson's streaming parser. Each element is built into a
 * tree while counting its bytes, so one element may not exceed the line bound. A syntax error (or invalid UTF-8)
 * leaves the parser with no safe place to resume: it is reported once, as malformed at its line, and reading stops.
 */
final class JsonArrayRecordStream implements RecordStream {
    private final JsonParser parser;
    private final long maxRecordBytes;
    private final RecordDecoder decoder = new RecordDecoder();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private boolean finished;
    private long recordStart;
    private long recordLine;

    JsonArrayRecordStream(InputStream in, long maxLineBytes) throws IOException {
        ObjectMapper mapper = Json.boundedMapper(maxLineBytes);
        this.parser = mapper.getFactory().createParser(in);
        this.maxRecordBytes = maxLineBytes;
    }

    @Override
    public IngestedRecord next() throws IOException {
        if (finished) {
            return null;
        }
        long line = parser.currentLocation().getLineNr();
        try {
            if (!parser.hasCurrentToken()) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new IllegalStateException("a JSON array upload must start with '['");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                finished = true;
                if (token == null || parser.nextToken() == null) {
                    return token == null ? unreadable(line, "not JSON: the array is not closed") : null;
                }
                return unreadable(parser.currentTokenLocation().getLineNr(), "not JSON: content after the array");
            }
            recordLine = parser.currentTokenLocation().getLineNr();
            recordStart = parser.currentTokenLocation().getByteOffset();
            JsonNode node = readValue(token);
            try {
                return new IngestedRecord.Parsed(recordLine, decoder.decode(node));
            } catch (MalformedRecordException e) {
                return unreadable(recordLine, e.getMessage());
            }
        } catch (StreamConstraintsException e) {
            if (Json.nestedTooDeep(parser)) {
                throw new InputLimitExceededException(Json.NESTING_LIMIT, Json.MAX_NESTING, "the JSON array element at "
                        + "line " + recordLine + " has arrays and objects nested more than " + Json.MAX_NESTING
                        + " levels deep, counting the enclosing array (" + Json.NESTING_LIMIT + ")");
            }
            throw new InputLimitExceededException(BoundedLineReader.MAX_LINE_BYTES_KEY, maxRecordBytes,
                    "the JSON array element at line " + recordLine + " breaks a limit (" + BoundedLineReader.MAX_LINE_BYTES_KEY
                            + " = " + maxRecordBytes + "): " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            finished = true;
            long at = e.getLocation() != null ? e.getLocation().getLineNr() : line;
            return unreadable(at, "not JSON (the rest of the array cannot be read): " + e.getOriginalMessage());
        }
    }

    private IngestedRecord unreadable(long line, String detail) {
        return new IngestedRecord.Unreadable(line, IngestedRecord.Problem.MALFORMED, detail);
    }

    /** Builds a tree from the current token, refusing elements larger than the bound as it goes. */
    private JsonNode readValue(JsonToken token) throws IOException {
        checkBound();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, readValue(parser.nextToken()));
                }
                expect(next, JsonToken.END_OBJECT);
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        expect(null, JsonToken.END_ARRAY);
                    }
                    array.add(readValue(next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected token " + token);
        }
    }

    private void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser, "expected " + expected + ", got " + actual);
        }
    }

    private void checkBound() {
        long size = parser.currentLocation().getByteOffset() - recordStart;
        if (size > maxRecordBytes) {
            throw new InputLimitExceededException(BoundedLineReader.MAX_LINE_BYTES_KEY, maxRecordBytes,
                    "the JSON array element at line " + recordLine + " is longer than "
                            + BoundedLineReader.MAX_LINE_BYTES_KEY + " = " + maxRecordBytes + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
