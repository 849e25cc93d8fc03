package dev.anvil.dataset.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.dataset.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateExpanderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachTemplateExpandsToTheProductOfItsSlots() throws Exception {
        SyntheticRequest request = read("""
                {"templates": [
                   {"prompt": "What is the capital of {{place.country}}, in a {{tone}} tone?",
                    "completion": "The capital of {{ place.country }} is {{place.capital}}."},
                   {"messages": [{"role": "system", "content": "Be {{tone}}."},
                                 {"role": "user", "content": "Hello"},
                                 {"role": "assistant", "content": "Hi, {{tone}} here."}]}],
                 "slots": {"place": [{"country": "France", "capital": "Paris"},
                                     {"country": "Japan", "capital": "Tokyo"},
                                     {"country": "Peru", "capital": "Lima"}],
                           "tone": ["formal", "friendly"]}}
                """);
        TemplateExpander expander = new TemplateExpander(request, 100, JSON);
        assertEquals(3 * 2 + 2, expander.records());

        List<JsonNode> lines = expand(expander);
        assertEquals(8, lines.size());
        assertEquals("What is the capital of France, in a formal tone?", lines.get(0).get("prompt").asText());
        assertEquals("The capital of France is Paris.", lines.get(0).get("completion").asText());
        assertEquals("What is the capital of France, in a friendly tone?", lines.get(1).get("prompt").asText());
        assertEquals("The capital of Peru is Lima.", lines.get(5).get("completion").asText());
        assertEquals("Be friendly.", lines.get(7).get("messages").get(0).get("content").asText());
        assertEquals("Hi, friendly here.", lines.get(7).get("messages").get(2).get("content").asText());
    }

    @Test
    void theRecordLimitIsCheckedBeforeExpanding() {
        SyntheticRequest request = read("""
                {"templates": [{"prompt": "{{a}} {{b}} {{c}}", "completion": "ok"}],
                 "slots": {"a": ["1","2","3","4","5"], "b": ["1","2","3","4","5"], "c": ["1","2","3","4","5"]}}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new TemplateExpander(request, 100, JSON));
        assertTrue(e.getMessage().contains("125 records"), e.getMessage());
        assertTrue(e.getMessage().contains("anvil.dataset.synthetic.max-records=100"), e.getMessage());
    }

    @Test
    void mistakesNameTheTemplateAndSlot() {
        assertMessage("templates[0].prompt: unknown slot 'city'", """
                {"templates": [{"prompt": "Visit {{city}}", "completion": "ok"}], "slots": {"town": ["a"]}}""");
        assertMessage("slots.place[1]: has no field 'capital' used by templates[0].completion", """
                {"templates": [{"prompt": "{{place.country}}", "completion": "{{place.capital}}"}],
                 "slots": {"place": [{"country": "A", "capital": "B"}, {"country": "C"}]}}""");
        assertMessage("slots.tone: needs at least one value", """
                {"templates": [{"prompt": "{{tone}}", "completion": "ok"}], "slots": {"tone": []}}""");
        assertMessage("templates[0]: give either 'prompt' and 'completion', or 'messages'", """
                {"templates": [{"prompt": "a", "completion": "b", "messages": []}], "slots": {}}""");
        assertMessage("templates[0].completion: is required", """
                {"templates": [{"prompt": "a"}], "slots": {}}""");
        assertMessage("templates: at least one template is required", """
                {"templates": [], "slots": {}}""");
    }

    private static void assertMessage(String expected, String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new TemplateExpander(read(json), 100, JSON));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<JsonNode> expand(TemplateExpander expander) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        expander.writeTo(out);
        return out.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static SyntheticRequest read(String json) {
        try {
            return JSON.readValue(json, SyntheticRequest.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
