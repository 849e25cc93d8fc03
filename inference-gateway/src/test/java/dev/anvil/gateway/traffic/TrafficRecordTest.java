package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kept record: the dataset-service's upload formats, and the per-sample text budget. */
class TrafficRecordTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Generation answer(String text) {
        return new Generation(new int[]{1}, text, FinishReason.STOP, new Generation.Usage(1, 1));
    }

    static ServedExchange completion(String prompt, String... answers) {
        return new ServedExchange("cmpl-1", "faq", "job-7", Instant.EPOCH,
                ServedExchange.Prompt.ofCompletion(prompt, new int[]{1}),
                List.of(answers).stream().map(TrafficRecordTest::answer).toList());
    }

    static JsonNode record(ServedExchange exchange, int maxChars) throws IOException {
        byte[] json = TrafficRecord.of(exchange, maxChars);
        assertFalse(new String(json).contains("\n"), "one line: a JSON Lines record");
        return JSON.readTree(json);
    }

    @Test
    void aChatIsItsMessagesAndTheAnswerAsTheLastAssistantTurn() throws IOException {
        Map<String, Object> call = new LinkedHashMap<>(Map.of("role", "assistant", "content", ""));
        call.put("tool_calls", List.of(Map.of("id", "c1", "type", "function",
                "function", Map.of("name", "lookup", "arguments", "{\"q\":\"tides\"}"))));
        List<Map<String, Object>> messages = List.of(Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "When is high tide?"), call,
                Map.of("role", "tool", "content", "06:12", "tool_call_id", "c1"));
        ServedExchange chat = new ServedExchange("chatcmpl-1", "faq", "job-7", Instant.EPOCH,
                ServedExchange.Prompt.ofChat(messages, new int[]{1}), List.of(answer("At 06:12.")));

        JsonNode record = record(chat, 32000);
        assertEquals(JSON.readTree("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"When is high tide?\"},{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\","
                + "\"arguments\":\"{\\\"q\\\":\\\"tides\\\"}\"}}]},{\"role\":\"tool\",\"content\":\"06:12\","
                + "\"tool_call_id\":\"c1\"},{\"role\":\"assistant\",\"content\":\"At 06:12.\"}]}"), record);
    }

    @Test
    void aCompletionIsPromptAndCompletionAndSeveralChoicesAreKeptAsWell() throws IOException {
        assertEquals(JSON.readTree("{\"prompt\":\"Once upon\",\"completion\":\" a time\"}"),
                record(completion("Once upon", " a time"), 32000));
        assertEquals(JSON.readTree("{\"prompt\":\"Once upon\",\"completion\":\" a time\","
                + "\"choices\":[\" a time\",\" the sea\"]}"),
                record(completion("Once upon", " a time", " the sea"), 32000));
    }

    @Test
    void longTextsShareTheBudgetAndTheSampleIsMarkedTruncated() throws IOException {
        String prompt = "p".repeat(5000);
        JsonNode record = record(completion(prompt, "short answer"), 1000);
        assertTrue(record.get("truncated").asBoolean());
        assertEquals("short answer", record.get("completion").asText(), "a short text stays whole");
        assertEquals("p".repeat(1000 - "short answer".length()), record.get("prompt").asText());

        JsonNode both = record(completion(prompt, "a".repeat(5000)), 1000);
        assertEquals(500, both.get("prompt").asText().length(), "two long texts: half each");
        assertEquals(500, both.get("completion").asText().length());

        assertFalse(record(completion("p".repeat(500), "a".repeat(500)), 1000).has("truncated"), "exactly the budget");
    }

    @Test
    void theBudgetIsWaterFilledAndNeverSplitsASurrogatePair() {
        TextBudget budget = TextBudget.of(List.of("x".repeat(10), "y".repeat(100), "z".repeat(1000)), 110);
        assertFalse(budget.cuts("x".repeat(10)));
        assertEquals(50, budget.apply("y".repeat(100)).length(), "(110 - 10) / 2 for each of the long two");
        assertEquals(50, budget.apply("z".repeat(1000)).length());

        String emoji = "\uD83C\uDF0A"; // one code point, two chars
        TextBudget three = TextBudget.of(List.of("ab" + emoji + "cd"), 3);
        assertEquals("ab", three.apply("ab" + emoji + "cd"), "the wave is cut whole, not in half");
    }
}
