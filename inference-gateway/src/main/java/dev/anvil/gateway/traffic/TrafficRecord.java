package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.llm.generate.Generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The document a sample keeps: one record of the dataset-service's upload formats (design.md, "Formats"), so that
 * retraining feeds it in as it is.
 * <ul>
 *   <li>A chat: {@code {"messages": [the request's messages..., {"role": "assistant", "content": <choice 0>}]}}; the
 *   messages as the chat template read them (developer already system; tool calls, tool call ids and names kept).</li>
 *   <li>A completion: {@code {"prompt": ..., "completion": <choice 0>}}.</li>
 *   <li>With {@code n} > 1, {@code "choices"}: every choice's text in index order (choice 0 again first), for
 *   preference data; the dataset-service reads the record's main fields and ignores this one.</li>
 *   <li>{@code "truncated": true} when the texts (contents, prompt, choices) were longer than the sample's budget
 *   together and were cut ({@link TextBudget}); absent otherwise. Tool calls are kept whole: they are JSON that a cut
 *   would break, and the request's size limit bounds them.</li>
 * </ul>
 */
final class TrafficRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrafficRecord() {
    }

    /** The record as compact JSON (one line), at most {@code maxChars} characters of text in all. */
    static byte[] of(ServedExchange exchange, int maxChars) {
        List<String> answers = exchange.choices().stream().map(Generation::text).map(TrafficRecord::text).toList();
        List<Map<String, Object>> messages = exchange.prompt().messages();
        boolean chat = !messages.isEmpty();
        List<String> texts = new ArrayList<>(answers);
        if (chat) {
            messages.forEach(m -> texts.add(content(m)));
        } else {
            texts.add(text(exchange.prompt().text()));
        }
        TextBudget budget = TextBudget.of(texts, maxChars);
        String answer = budget.apply(answers.isEmpty() ? "" : answers.get(0));

        ObjectNode record = JSON.createObjectNode();
        if (chat) {
            ArrayNode turns = record.putArray("messages");
            for (Map<String, Object> message : messages) {
                ObjectNode turn = JSON.valueToTree(message);
                turn.put("content", budget.apply(content(message)));
                turns.add(turn);
            }
            turns.addObject().put("role", "assistant").put("content", answer);
        } else {
            record.put("prompt", budget.apply(text(exchange.prompt().text())));
            record.put("completion", answer);
        }
        if (answers.size() > 1) {
            ArrayNode choices = record.putArray("choices");
            answers.forEach(a -> choices.add(budget.apply(a)));
        }
        if (texts.stream().anyMatch(budget::cuts)) record.put("truncated", true);
        return bytes(record);
    }

    /**
     * {@code record} (one of {@link #of}) with {@code answer} in place of the model's: the last assistant message's
     * content of a chat, a completion's {@code completion}. {@code choices} goes: the model's other answers no longer
     * sit beside the one kept. {@code truncated} stays, as the prompt may have been cut.
     */
    static byte[] withAnswer(byte[] record, String answer) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) JSON.readTree(record);
        } catch (IOException e) {
            throw new UncheckedIOException("a decrypted traffic record is not JSON", e);
        }
        tree.remove("choices");
        if (tree.get("messages") instanceof ArrayNode turns) {
            for (int i = turns.size() - 1; i >= 0; i--) {
                if (turns.get(i) instanceof ObjectNode turn && "assistant".equals(turn.path("role").asText())) {
                    turn.put("content", answer);
                    break;
                }
            }
        } else {
            tree.put("completion", answer);
        }
        return bytes(tree);
    }

    private static byte[] bytes(JsonNode record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a traffic record could not be written as JSON", e);
        }
    }

    private static String content(Map<String, Object> message) {
        return message.get("content") instanceof String s ? s : "";
    }

    private static String text(String text) {
        return text == null ? "" : text;
    }
}
