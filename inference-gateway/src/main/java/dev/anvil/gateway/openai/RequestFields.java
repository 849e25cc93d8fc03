package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the members of an OpenAI request body with the checks and messages OpenAI gives: each failure a 400 naming
 * the parameter ({@code messages[2].content}), its expected type or range and what came instead. A member that is
 * absent or null takes its default; members this gateway does not know are ignored, as OpenAI does.
 */
final class RequestFields {
    private final JsonNode body;
    private final String prefix;

    private RequestFields(JsonNode body, String prefix) {
        this.body = body;
        this.prefix = prefix;
    }

    static RequestFields of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalid(null, "The request body must be a JSON object.");
        }
        return new RequestFields(body, "");
    }

    /** The members of a nested object, reported as {@code param.member}. */
    static RequestFields nested(JsonNode object, String param) {
        if (!object.isObject()) throw wrongType(param, "an object", object);
        return new RequestFields(object, param + ".");
    }

    String param(String name) {
        return prefix + name;
    }

    Optional<JsonNode> node(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    String requiredString(String name, int maxChars) {
        return string(name, maxChars).orElseThrow(() ->
                OpenAiException.invalid(param(name), "Missing required parameter: '" + param(name) + "'."));
    }

    Optional<String> string(String name, int maxChars) {
        return node(name).map(v -> text(v, param(name), maxChars));
    }

    static String text(JsonNode v, String param, int maxChars) {
        if (!v.isTextual()) throw wrongType(param, "a string", v);
        if (v.textValue().length() > maxChars) {
            throw OpenAiException.invalid(param, "Invalid '" + param + "': string too long. Expected a string with "
                    + "maximum length " + maxChars + ", but got a string with length " + v.textValue().length()
                    + " instead.");
        }
        return v.textValue();
    }

    boolean bool(String name, boolean fallback) {
        Optional<JsonNode> v = node(name);
        if (v.isEmpty()) return fallback;
        if (!v.get().isBoolean()) throw wrongType(param(name), "a boolean", v.get());
        return v.get().booleanValue();
    }

    OptionalDouble number(String name, double min, double max) {
        Optional<JsonNode> v = node(name);
        if (v.isEmpty()) return OptionalDouble.empty();
        if (!v.get().isNumber()) throw wrongType(param(name), "a number", v.get());
        double value = v.get().doubleValue();
        checkRange(name, value, min, max, v.get().asText());
        return OptionalDouble.of(value);
    }

    OptionalInt integer(String name, int min, int max) {
        OptionalLong value = longInteger(name, min, max);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    OptionalLong longInteger(String name, long min, long max) {
        Optional<JsonNode> v = node(name);
        if (v.isEmpty()) return OptionalLong.empty();
        if (!v.get().isIntegralNumber() || !v.get().canConvertToLong()) {
            throw wrongType(param(name), "an integer", v.get());
        }
        long value = v.get().longValue();
        checkRange(name, value, min, max, v.get().asText());
        return OptionalLong.of(value);
    }

    /** A string or an array of strings ({@code stop}, {@code prompt}): always a list. */
    List<String> stringOrStrings(String name, int maxItems, int maxChars) {
        Optional<JsonNode> v = node(name);
        if (v.isEmpty()) return List.of();
        if (v.get().isTextual()) return List.of(text(v.get(), param(name), maxChars));
        if (!v.get().isArray()) throw wrongType(param(name), "a string or an array of strings", v.get());
        if (v.get().size() > maxItems) {
            throw OpenAiException.invalid(param(name), "Invalid '" + param(name) + "': array too long. Expected an "
                    + "array with maximum length " + maxItems + ", but got an array with length " + v.get().size()
                    + " instead.");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < v.get().size(); i++) items.add(text(v.get().get(i), param(name) + "[" + i + "]", maxChars));
        return items;
    }

    private void checkRange(String name, double value, double min, double max, String shown) {
        if (value < min) {
            throw OpenAiException.invalid(param(name), "Invalid '" + param(name) + "': value below minimum. Expected a "
                    + "value >= " + plain(min) + ", but got " + shown + " instead.");
        }
        if (value > max) {
            throw OpenAiException.invalid(param(name), "Invalid '" + param(name) + "': value above maximum. Expected a "
                    + "value <= " + plain(max) + ", but got " + shown + " instead.");
        }
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static OpenAiException wrongType(String param, String expected, JsonNode got) {
        return OpenAiException.invalid(param, "Invalid type for '" + param + "': expected " + expected + ", but got "
                + jsonType(got) + " instead.");
    }

    private static String jsonType(JsonNode v) {
        if (v.isTextual()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.isIntegralNumber()) return "an integer";
        if (v.isNumber()) return "a decimal";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return "null";
    }
}
