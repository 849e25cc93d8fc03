package dev.anvil.dataset.ingest;

/**
 * One turn of a conversation in the canonical form.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool} (source role names are mapped)
 * @param content    the text of the turn (typed content parts are joined)
 * @param name       an optional function/tool name, null when absent
 * @param toolCallId an optional tool call id, null when absent
 */
public record Message(String role, String content, String name, String toolCallId) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";

    public Message(String role, String content) {
        this(role, content, null, null);
    }
}
