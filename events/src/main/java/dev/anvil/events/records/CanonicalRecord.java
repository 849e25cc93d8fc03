package dev.anvil.events.records;

import java.util.List;

/**
 * One stored training record, whatever its source format: a chat, one JSON object a line in a dataset version's
 * {@code train.jsonl} and {@code validation.jsonl} ({@link CanonicalRecords} writes and parses the line).
 *
 * @param messages the turns, in order
 * @param format   the source format the record was recognised as ({@code openai}, {@code alpaca}, ...), or
 *                 {@code null} when not known
 */
public record CanonicalRecord(List<Message> messages, String format) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";
    /** The roles a stored message may have (source role names are mapped onto these when ingested). */
    public static final List<String> ROLES = List.of(SYSTEM, USER, ASSISTANT, TOOL);

    public CanonicalRecord {
        messages = List.copyOf(messages);
    }

    /**
     * One turn.
     *
     * @param role       one of {@link #ROLES}
     * @param content    the text of the turn
     * @param name       an optional function or tool name (OpenAI's {@code name}), {@code null} when absent
     * @param toolCallId an optional tool call id (OpenAI's {@code tool_call_id}), {@code null} when absent
     */
    public record Message(String role, String content, String name, String toolCallId) {
        public Message(String role, String content) {
            this(role, content, null, null);
        }
    }
}
