package dev.anvil.dataset.ingest;

import dev.anvil.events.records.CanonicalRecord;

/**
 * One turn of a conversation in the canonical form.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool} (source role names are mapped)
 * @param content    the text of the turn (typed content parts are joined)
 * @param name       an optional function/tool name, null when absent
 * @param toolCallId an optional tool call id, null when absent
 */
public record Message(String role, String content, String name, String toolCallId) {
    public static final String SYSTEM = CanonicalRecord.SYSTEM;
    public static final String USER = CanonicalRecord.USER;
    public static final String ASSISTANT = CanonicalRecord.ASSISTANT;
    public static final String TOOL = CanonicalRecord.TOOL;

    public Message(String role, String content) {
        this(role, content, null, null);
    }
}
