package dev.anvil.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.EventCodec;

/**
 * Values kept as JSON in a text column (counts by rule, settings, a retraining's steps), written and read with the
 * events' mapper so that they read back exactly. A column that does not read back is corruption, not input: it is an
 * {@link IllegalStateException} naming the column.
 */
public final class JsonColumns {
    private static final ObjectMapper JSON = EventCodec.mapper();

    private JsonColumns() {
    }

    public static String write(Object value, String column) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + column + " as JSON", e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type, String column) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in " + column, e);
        }
    }
}
