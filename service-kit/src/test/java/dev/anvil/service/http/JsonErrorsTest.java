package dev.anvil.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jackson's failures are described by JSON path and JSON type, never by Java type. */
class JsonErrorsTest {

    record Inner(double learningRate, int rank) {
    }

    record Outer(String name, List<String> templates, Inner hyperparameters) {
        Outer {
            if (name != null && name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private static String describe(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> MAPPER.readValue(json, Outer.class));
        String description = JsonErrors.describe(e);
        assertFalse(description.contains("java."), description);
        assertFalse(description.contains("dev.anvil"), description);
        assertFalse(description.contains("`"), description);
        return description;
    }

    private static void assertDescribed(String json, String expectedStart) {
        String description = describe(json);
        assertTrue(description.startsWith(expectedStart), () -> json + " -> " + description);
    }

    @Test
    void wrongTypesNameThePathAndTheJsonType() {
        assertDescribed("{\"templates\":\"abc\"}", "templates: expected an array");
        assertDescribed("{\"hyperparameters\":{\"learningRate\":\"abc\"}}",
                "hyperparameters.learningRate: 'abc' is not a number");
        assertDescribed("{\"hyperparameters\":{\"rank\":2.5}}", "hyperparameters.rank: '2.5' is not an integer (32-bit)");
        assertDescribed("{\"templates\":[{}]}", "templates[0]: expected a string");
        assertDescribed("[1]", "expected an object");
    }

    @Test
    void syntaxAndStructureAreSaidPlainly() {
        assertDescribed("{\"name\":\"a\"} {\"name\":\"b\"}", "unexpected content after the JSON value");
        assertDescribed("{\"name\":\"a\"} xyz", "Unrecognized token 'xyz'");
        assertDescribed("{\"unknown\":1}", "unknown field 'unknown'");
        assertDescribed("{\"name\":\" \"}", "name must not be blank");
        assertTrue(describe("{\"name\":").contains("line 1"));
    }

    @Test
    void safeTextEscapesControlCharactersAndBoundsLength() {
        assertEquals("a\\u0000b\\u000A", SafeText.of("a\0b\n"));
        assertEquals(203, SafeText.of("x".repeat(500)).length());
    }
}
