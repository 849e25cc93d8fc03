package dev.anvil.events;

import com.fasterxml.jackson.databind.JsonMappingException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Jackson's failures in the words of JSON rather than of Java: the JSON path of the value at fault
 * ({@code hyperparameters.targetModules[0]}) and the JSON type it must have. Clients write JSON; a Java type name
 * in an error means nothing to them and leaks internals.
 */
public final class JsonTerms {

    private JsonTerms() {
    }

    /** What a JSON value must be to become {@code type}. */
    public static String expected(Class<?> type) {
        if (type == null) return "of another JSON type";
        if (type == Integer.class || type == int.class) return "an integer (32-bit)";
        if (type == Long.class || type == long.class) return "an integer (64-bit)";
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class || type.isEnum()) return "a string";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        if (type == Instant.class) return "an ISO-8601 instant";
        return "an object";
    }

    /** A dotted JSON path from Jackson's references; empty for the root. */
    public static String path(List<JsonMappingException.Reference> references) {
        return dotted(references.stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : r.getIndex() >= 0 ? (Object) r.getIndex() : null));
    }

    /** Names joined by dots, array indexes (Integers) in brackets; nulls are skipped. */
    static String dotted(Stream<Object> parts) {
        StringBuilder path = new StringBuilder();
        parts.forEach(part -> {
            if (part instanceof Integer index) path.append('[').append(index).append(']');
            else if (part != null) path.append(path.isEmpty() ? "" : ".").append(part);
        });
        return path.toString();
    }
}
